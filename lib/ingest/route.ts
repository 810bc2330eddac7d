// One entry point for any device message: tells Modbus, OPC UA, Sparkplug B and MQTT JSON apart
// by the shape the contrib nodes give them, and maps it with the matching protocol mapper.

import type { BindingIndex } from './bindings.js';
import { describeValue, emptyResult, problem } from './common.js';
import { isModbusMessage, mapModbus, type ModbusMessage } from './modbus.js';
import { mapMqttJson } from './mqtt-json.js';
import { isOpcuaBatch, isOpcuaMessage, mapOpcua, mapOpcuaBatch, type OpcuaMessage } from './opcua.js';
import { SparkplugMapper } from './sparkplug.js';
import { INGEST_DEFAULTS, type IngestResult, type Protocol } from './types.js';

export type DeviceMessage = ModbusMessage & OpcuaMessage;

export function detectProtocol(index: BindingIndex, msg: DeviceMessage): Protocol | undefined {
  const topic = typeof msg.topic === 'string' ? msg.topic : undefined;
  if (topic?.startsWith('spBv1.0/')) return 'sparkplug';
  if (isModbusMessage(msg)) return 'modbus';
  if (isOpcuaBatch(msg)) return 'opcua';
  if (topic !== undefined && index.mqtt.has(topic)) return 'mqtt';
  if (isOpcuaMessage(msg)) return 'opcua';
  if (topic !== undefined && index.modbus.has(topic)) return 'modbus';
  return undefined;
}

/** Maps device messages for one site; keeps the per-connection state Sparkplug needs. */
export class DeviceMapper {
  private readonly sparkplug: SparkplugMapper;

  constructor(private index: BindingIndex, private readonly options = INGEST_DEFAULTS) {
    this.sparkplug = new SparkplugMapper(options);
  }

  setIndex(index: BindingIndex): void {
    this.index = index;
  }

  map(msg: DeviceMessage, now: number): IngestResult {
    if (typeof msg !== 'object' || msg === null) return problem(emptyResult(), 'input', `expected a message object, got ${describeValue(msg)}`);
    switch (detectProtocol(this.index, msg)) {
      case 'sparkplug': return this.sparkplug.map(this.index, msg.topic as string, msg.payload, now);
      case 'modbus': return mapModbus(this.index, msg, now, this.options);
      case 'mqtt': return mapMqttJson(this.index, msg.topic, msg.payload, now, this.options);
      case 'opcua': return isOpcuaBatch(msg) ? mapOpcuaBatch(this.index, msg, now, this.options.maxBatch) : mapOpcua(this.index, msg, now);
      default:
        return problem(emptyResult(), `topic ${describeValue(msg.topic)}`, 'no site tag is bound to this address (Modbus device, OPC UA node id, MQTT topic or Sparkplug device)');
    }
  }
}

/** "modbus rtu-north: register 4 is ..." lines joined into one error message, the first few in full. */
export function summariseProblems(result: IngestResult, limit = 3): string {
  const lines = result.problems.slice(0, limit).map((p) => `${p.source}: ${p.message}`);
  const more = result.problems.length - lines.length;
  return lines.join('; ') + (more > 0 ? `; and ${more} more` : '');
}
