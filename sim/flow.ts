// Builds the "Field devices" tab (flows/10-field.json) from a site's device bindings: the
// contrib Modbus, OPC UA and MQTT nodes polling and subscribing to the devices, into
// oilrisk-ingest, on to the risk engine and the historian. Regenerate with
// `npm run sim -- --write-flow flows/10-field.json` after changing the demo site's bindings.

import type { Site } from '../lib/model/index.js';
import { registerCount } from '../lib/profiles/index.js';
import { parseModbusAddress } from './devices.js';
import { modbusPortVariable } from './runtime.js';
import { SECURITY_TOPIC } from './servers/mqtt.js';
import { channelOf } from './servers/encoding.js';

export type FlowNode = Record<string, unknown> & { id: string; type: string };

const TAB = 'oilrisk.field.tab';
const INGEST = 'oilrisk.field.ingest';
const LINK_OUT = 'oilrisk.field.link.readings';
const LINK_GPS = 'oilrisk.field.link.gps';
/** Seconds between polls of the Modbus and OPC UA devices. */
const POLL_S = 2;
/** Seconds without any answer from the OPC UA server before the client is told to reconnect. */
const OPCUA_SILENT_S = 6;
/**
 * Seconds between reconnect requests while the server stays silent: the new client's own first
 * connection attempt backs off without a word, so it is asked again at this pace (a handshake
 * slower than this is retried).
 */
const OPCUA_KICK_S = 6;
/** Seconds after which a reconnect request the client never reported on is made again. */
const OPCUA_STUCK_S = 30;

/**
 * The function node between the poll and the OpcUa-Client. Ticks become one read per node id;
 * the client's answers (output 1) and its status changes (output 2) come back to it. The
 * client's own reconnection backs off to 30 s between attempts, so after an outage the PLC would
 * stay unread for up to half a minute after its return, and the reads sent meanwhile pile up in
 * the client's queue: when nothing has answered for a while, the node asks the client to
 * reconnect now, and sends one probe read per tick until an answer shows the PLC is back. It asks
 * again only once the client has reported making its new client (so that no two reconnections
 * overlap and leave a client behind), or after 30 s with no such report.
 */
function opcuaPollCode(ids: string[]): string {
  return [
    '// Ticks become one read per node id of the site\'s opcua bindings. The client\'s answers and',
    `// status changes come back here: after ${OPCUA_SILENT_S} s without an answer, ask the client to reconnect`,
    `// instead of waiting out its backoff, every ${OPCUA_KICK_S} s once it has made its new client (or after ${OPCUA_STUCK_S} s),`,
    '// and send one probe read per tick until the PLC answers.',
    `const ids = ${JSON.stringify(ids)};`,
    'const now = Date.now();',
    "if (msg.statusCode !== undefined) { context.set('answered', now); return null; }",
    "if (typeof msg.status === 'string') {",
    "  if (msg.status === 'create client' && context.get('phase') === 'kicked') context.set('phase', 'created');",
    '  return null;',
    '}',
    "const since = context.get('answered') || context.get('started') || (context.set('started', now), now);",
    `if (now - since < ${OPCUA_SILENT_S * 1000}) { node.status({}); return [ids.map((topic) => ({ topic }))]; }`,
    "node.status({ fill: 'yellow', shape: 'ring', text: `no answer for ${Math.round((now - since) / 1000)} s: reconnecting` });",
    "const kicked = context.get('kicked') || 0;",
    `if ((context.get('phase') !== 'kicked' && now - kicked >= ${OPCUA_KICK_S * 1000}) || now - kicked >= ${OPCUA_STUCK_S * 1000}) {`,
    "  context.set('kicked', now);",
    "  context.set('phase', 'kicked');",
    "  return { action: 'reconnect' };",
    '}',
    'return { topic: ids[0] };',
  ].join('\n');
}

const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();

function modbusBlocks(site: Site): Array<{ device: string; unitId: number; start: number; quantity: number }> {
  const blocks = new Map<string, { device: string; unitId: number; start: number; end: number }>();
  for (const tag of site.tags) {
    if (tag.binding?.protocol !== 'modbus') continue;
    const address = parseModbusAddress(tag.binding.address);
    if (!address) continue;
    const width = channelOf(tag)?.modbus ? registerCount(channelOf(tag)!.modbus!) : 2;
    const key = `${address.device}:${address.unitId}`;
    const block = blocks.get(key) ?? { device: address.device, unitId: address.unitId, start: address.register, end: address.register + width };
    block.start = Math.min(block.start, address.register);
    block.end = Math.max(block.end, address.register + width);
    blocks.set(key, block);
  }
  return [...blocks.values()].map((b) => ({ device: b.device, unitId: b.unitId, start: b.start, quantity: b.end - b.start }));
}

/** MQTT subscriptions covering the bindings: one wildcard per topic folder. */
function mqttFilters(site: Site, protocol: 'mqtt' | 'sparkplug'): string[] {
  const filters = new Set<string>();
  for (const tag of site.tags) {
    if (tag.binding?.protocol !== protocol) continue;
    const parts = tag.binding.address.split('/');
    filters.add(parts.length > 1 ? [...parts.slice(0, -1), '+'].join('/') : tag.binding.address);
  }
  return [...filters].sort();
}

export function fieldFlow(site: Site): FlowNode[] {
  const nodes: FlowNode[] = [
    {
      id: TAB, type: 'tab', label: 'Field devices', disabled: false,
      info: 'The field: Modbus RTUs, the CPF PLC over OPC UA, gas detectors, trackers and network health over MQTT, one Sparkplug B skid. '
        + 'Addresses come from environment variables that `npm start` sets for the simulator (OILRISK_MODBUS_<DEVICE>_PORT, OILRISK_OPCUA_URL, OILRISK_MQTT_HOST/PORT); '
        + 'point them at real equipment with OILRISK_SIM=off. Generated from sites/demo-field.yaml by sim/flow.ts.',
    },
    { id: 'oilrisk.field.comment', type: 'comment', z: TAB, name: 'Devices -> oilrisk-ingest -> risk engine and historian', info: '', x: 240, y: 40, wires: [] },
  ];
  let y = 100;
  const ingestInputs: string[] = [];

  const devices = [...new Set(modbusBlocks(site).map((b) => b.device))];
  for (const device of devices) {
    nodes.push({
      id: `oilrisk.field.modbus.${slug(device)}`, type: 'modbus-client', name: device, clienttype: 'tcp', bufferCommands: true,
      stateLogEnabled: false, queueLogEnabled: false, failureLogEnabled: true, tcpHost: '${OILRISK_MODBUS_HOST}',
      tcpPort: `\${${modbusPortVariable(device)}}`, tcpType: 'DEFAULT', serialPort: '/dev/ttyUSB', serialType: 'RTU-BUFFERD',
      serialBaudrate: '9600', serialDatabits: '8', serialStopbits: '1', serialParity: 'none', serialConnectionDelay: '100',
      serialAsciiResponseStartDelimiter: '0x3A', unit_id: '1', commandDelay: '1', clientTimeout: '1000', reconnectOnTimeout: true,
      reconnectTimeout: '2000', parallelUnitIdsAllowed: true, showErrors: false, showWarnings: true, showLogs: false,
    });
  }
  for (const block of modbusBlocks(site)) {
    const id = `oilrisk.field.read.${slug(block.device)}.${block.unitId}`;
    nodes.push({
      id, type: 'modbus-read', z: TAB, name: `${block.device} unit ${block.unitId}`, topic: block.device, showStatusActivities: false,
      logIOActivities: false, showErrors: false, showWarnings: false, unitid: String(block.unitId), dataType: 'HoldingRegister',
      adr: String(block.start), quantity: String(block.quantity), rate: String(POLL_S), rateUnit: 's', delayOnStart: false,
      startDelayTime: '', server: `oilrisk.field.modbus.${slug(block.device)}`, useIOFile: false, ioFile: '', useIOForPayload: false,
      emptyMsgOnFail: true, x: 170, y, wires: [[INGEST], []],
    });
    ingestInputs.push(id);
    y += 60;
  }

  const opcuaIds = site.tags.filter((t) => t.binding?.protocol === 'opcua').map((t) => t.binding!.address);
  if (opcuaIds.length) {
    nodes.push({
      id: 'oilrisk.field.opcua.endpoint', type: 'OpcUa-Endpoint', name: 'CPF PLC', endpoint: '${OILRISK_OPCUA_URL}', secpol: 'None',
      secmode: 'None', none: true, login: false, usercert: false, usercertificate: '', userprivatekey: '',
    });
    nodes.push({
      id: 'oilrisk.field.opcua.poll', type: 'inject', z: TAB, name: `every ${POLL_S} s`, props: [], repeat: String(POLL_S), crontab: '',
      once: true, onceDelay: '1', topic: '', x: 130, y, wires: [['oilrisk.field.opcua.items']],
    });
    nodes.push({
      id: 'oilrisk.field.opcua.items', type: 'function', z: TAB, name: 'CPF PLC reads and watchdog',
      func: opcuaPollCode(opcuaIds), outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 310, y,
      wires: [['oilrisk.field.opcua.client']],
    });
    nodes.push({
      id: 'oilrisk.field.opcua.client', type: 'OpcUa-Client', z: TAB, name: 'CPF PLC', endpoint: 'oilrisk.field.opcua.endpoint',
      action: 'read', deadbandtype: 'a', deadbandvalue: 1, time: 10, timeUnit: 's', certificate: 'n', localfile: '', localkeyfile: '',
      securitymode: 'None', securitypolicy: 'None', useTransport: false, maxChunkCount: 1, maxMessageSize: 8192,
      receiveBufferSize: 8192, sendBufferSize: 8192, setstatusandtime: false, keepsessionalive: true, applicationName: '',
      applicationUri: '', x: 490, y, wires: [[INGEST, 'oilrisk.field.opcua.items'], ['oilrisk.field.opcua.items'], []],
    });
    ingestInputs.push('oilrisk.field.opcua.client');
    y += 60;
  }

  nodes.push({
    id: 'oilrisk.field.mqtt.broker', type: 'mqtt-broker', name: 'field broker', broker: '${OILRISK_MQTT_HOST}', port: '${OILRISK_MQTT_PORT}',
    clientid: '', autoConnect: true, usetls: false, protocolVersion: '4', keepalive: '60', cleansession: true, autoUnsubscribe: true,
    birthTopic: '', closeTopic: '', willTopic: '',
  });
  const subscriptions = [
    ...mqttFilters(site, 'mqtt').map((topic) => ({ topic, datatype: 'json' })),
    ...mqttFilters(site, 'sparkplug').map((topic) => ({ topic, datatype: 'buffer' })),
  ];
  for (const s of subscriptions) {
    const id = `oilrisk.field.mqtt.${slug(s.topic)}`;
    nodes.push({
      id, type: 'mqtt in', z: TAB, name: s.topic, topic: s.topic, qos: '0', datatype: s.datatype, broker: 'oilrisk.field.mqtt.broker',
      nl: false, rap: true, rh: 0, inputs: 0, x: 170, y, wires: [[INGEST]],
    });
    ingestInputs.push(id);
    y += 60;
  }

  const middle = 100 + Math.max(0, (y - 160) / 2);
  nodes.push({ id: INGEST, type: 'oilrisk-ingest', z: TAB, name: '', site: 'oilrisk.demo.site', x: 700, y: middle, wires: [[LINK_OUT], [LINK_GPS]] });
  nodes.push({
    id: LINK_OUT, type: 'link out', z: TAB, name: 'readings', mode: 'link', links: ['oilrisk.link.in.risk', 'oilrisk.link.in.historian'],
    x: 855, y: middle - 20, wires: [],
  });
  nodes.push({
    id: LINK_GPS, type: 'link out', z: TAB, name: 'vehicle GPS fixes', mode: 'link', links: ['oilrisk.link.in.historian'],
    x: 855, y: middle + 20, wires: [],
  });

  nodes.push({
    id: 'oilrisk.field.mqtt.security', type: 'mqtt in', z: TAB, name: SECURITY_TOPIC, topic: SECURITY_TOPIC, qos: '0', datatype: 'json',
    broker: 'oilrisk.field.mqtt.broker', nl: false, rap: true, rh: 0, inputs: 0, x: 190, y, wires: [['oilrisk.field.security.topic']],
  });
  nodes.push({
    id: 'oilrisk.field.security.topic', type: 'change', z: TAB, name: 'topic: security',
    rules: [{ t: 'set', p: 'topic', pt: 'msg', to: 'security', tot: 'str' }], action: '', property: '', from: '', to: '', reg: false,
    x: 430, y, wires: [['oilrisk.field.link.security']],
  });
  nodes.push({
    id: 'oilrisk.field.link.security', type: 'link out', z: TAB, name: 'security events', mode: 'link', links: ['oilrisk.link.in.historian'],
    x: 615, y, wires: [],
  });
  return nodes;
}
