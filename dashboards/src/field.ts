// Field operations: vehicles and geofences on a Geomap panel, and the traffic violations
// (speeding, geofence breaches) the GPS fixes recorded.

import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as geomap from '@grafana/grafana-foundation-sdk/geomap';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { fixedColour, oilriskDashboard, QUESTDB, series, sql, table as t } from './common.js';

export const FIELD_UID = 'oilrisk-field-operations';

/** A Geomap layer as the SDK types it; the SDK has no builder for layers. */
function layer(options: common.MapLayerOptions): cog.Builder<common.MapLayerOptions> {
  return { build: () => options };
}

export function fieldOperations(): dashboard.Dashboard {
  const map = new geomap.PanelBuilder()
    .id(1)
    .title('Vehicles and geofences')
    .description('Latest position of each vehicle (red when in violation) over the geofences (labelled with their radius).')
    .datasource(QUESTDB)
    .withTarget(sql('vehicles', `SELECT vehicle, lat, lon, speed_kmh, geofence, violation, ts FROM ${t('gps')} LATEST ON ts PARTITION BY vehicle`))
    .withTarget(sql('geofences', `SELECT geofence, kind, lat, lon, radius_m, speed_limit_kmh
      FROM (SELECT geofence, kind, lat, lon, radius_m, speed_limit_kmh, ts FROM ${t('geofences')} LATEST ON ts PARTITION BY geofence)`))
    .view(new geomap.MapViewConfigBuilder().id('fit').lat(0).lon(0).zoom(13).allLayers(true))
    .controls(new geomap.ControlsOptionsBuilder().showZoom(true).mouseWheelZoom(true).showScale(true))
    .basemap(layer({ type: 'osm-standard', name: 'Base map' }))
    .layers([
      layer({
        type: 'markers',
        name: 'Geofences',
        location: { mode: common.FrameGeometrySourceMode.Coords, latitude: 'lat', longitude: 'lon' },
        filterData: { id: 'byRefId', options: 'geofences' },
        tooltip: true,
        opacity: 0.4,
        config: {
          showLegend: false,
          style: {
            symbol: { mode: 'fixed', fixed: 'img/icons/marker/circle.svg' },
            color: { fixed: 'purple' },
            size: { field: 'radius_m', min: 10, max: 80 },
            opacity: 0.3,
            text: { mode: 'field', field: 'geofence' },
            textConfig: { fontSize: 11, offsetY: -14 },
          },
        },
      }),
      layer({
        type: 'markers',
        name: 'Vehicles',
        location: { mode: common.FrameGeometrySourceMode.Coords, latitude: 'lat', longitude: 'lon' },
        filterData: { id: 'byRefId', options: 'vehicles' },
        tooltip: true,
        config: {
          showLegend: true,
          style: {
            symbol: { mode: 'fixed', fixed: 'img/icons/marker/triangle.svg' },
            color: { field: 'violation' },
            size: { fixed: 8 },
            text: { mode: 'field', field: 'vehicle' },
            textConfig: { fontSize: 12, offsetY: 12 },
          },
        },
      }),
    ])
    .tooltip(new geomap.TooltipOptionsBuilder().mode(geomap.TooltipMode.Details))
    .mappings([{ type: dashboard.MappingType.ValueToText, options: {
      none: { text: 'ok', color: 'green', index: 0 },
      speeding: { text: 'speeding', color: 'red', index: 1 },
      geofence: { text: 'geofence breach', color: 'orange', index: 2 },
    } }])
    .span(16).height(14);

  const speeds = new timeseries.PanelBuilder()
    .id(2)
    .title('Vehicle speed')
    .datasource(QUESTDB)
    .withTarget(series('A', `SELECT ts, vehicle, max(speed_kmh) AS speed_kmh FROM ${t('gps')} WHERE $__timeFilter(ts) SAMPLE BY $__sampleByInterval`))
    .unit('velocitykmh')
    .min(0)
    .span(8).height(14);

  const perHour = new timeseries.PanelBuilder()
    .id(3)
    .title('Traffic violations per hour')
    .datasource(QUESTDB)
    .withTarget(series('A', `SELECT ts, sum(CASE WHEN violation = 'speeding' THEN 1 ELSE 0 END) AS speeding,
      sum(CASE WHEN violation = 'geofence' THEN 1 ELSE 0 END) AS geofence
      FROM ${t('gps')} WHERE $__timeFilter(ts) SAMPLE BY 1h FILL(0) ALIGN TO CALENDAR`))
    .drawStyle(common.GraphDrawStyle.Bars)
    .overrideByName('speeding', [fixedColour('red')])
    .overrideByName('geofence', [fixedColour('orange')])
    .min(0)
    .span(8).height(8);

  const violations = new table.PanelBuilder()
    .id(4)
    .title('Traffic violations')
    .datasource(QUESTDB)
    .withTarget(sql('A', `SELECT ts, vehicle, violation, speed_kmh, geofence, lat, lon FROM ${t('gps')}
      WHERE $__timeFilter(ts) AND violation IN ('speeding', 'geofence') ORDER BY ts DESC LIMIT 500`))
    .overrideByName('speed_kmh', [{ id: 'unit', value: 'velocitykmh' }])
    .span(16).height(8);

  return oilriskDashboard('oilrisk - Field operations', FIELD_UID, 'Vehicles and geofences on a map, speeds and traffic violations.')
    .withPanel(map)
    .withPanel(speeds)
    .withPanel(perHour)
    .withPanel(violations)
    .build();
}
