// Device binding addresses, per protocol: checks that an address has the form the ingest and
// the simulator expect, and a normal form so that two spellings of one address collide.

import type { DeviceBinding } from '../model/index.js';

export interface BindingCheck {
  /** Why the address is wrong and how to write it; undefined when it is fine. */
  problem?: string;
  /** The same device point always gives the same key, e.g. "modbus rtu-north:1:0". */
  key: string;
}

const MODBUS = /^([A-Za-z0-9_.-]+):(\d+):(\d+)$/;
const OPCUA = /^ns=\d+;[sigb]=.+$/;
const SPARKPLUG = /^spBv1\.0\/[^/#+]+\/(DDATA|NDATA)\/[^/#+]+(\/[^/#+]+)?$/;

export function checkBinding(binding: DeviceBinding): BindingCheck {
  const field = binding.field ?? '';
  switch (binding.protocol) {
    case 'modbus': {
      const m = MODBUS.exec(binding.address);
      if (!m) return { key: `modbus ${binding.address}`, problem: `Modbus address "${binding.address}" should be "<device>:<unitId>:<register>", e.g. "rtu-north:1:0"` };
      const unit = Number(m[2]), register = Number(m[3]);
      if (unit > 247) return { key: `modbus ${binding.address}`, problem: `Modbus unit id ${unit} is above 247, the largest a Modbus slave can have` };
      if (register > 65535) return { key: `modbus ${binding.address}`, problem: `Modbus register ${register} is above 65535; registers are 0-based offsets` };
      return { key: `modbus ${m[1]}:${unit}:${register}` };
    }
    case 'opcua':
      return OPCUA.test(binding.address)
        ? { key: `opcua ${binding.address}` }
        : { key: `opcua ${binding.address}`, problem: `OPC UA node id "${binding.address}" should look like "ns=1;s=SEP-1.PT-101" (namespace, then s=, i=, g= or b=)` };
    case 'mqtt':
      return /[#+]/.test(binding.address) || binding.address.startsWith('/') || binding.address.endsWith('/')
        ? { key: `mqtt ${binding.address} ${field}`, problem: `MQTT topic "${binding.address}" must be one concrete topic: no wildcards (+, #) and no leading or trailing "/"` }
        : { key: `mqtt ${binding.address} ${field}` };
    case 'sparkplug':
      if (!SPARKPLUG.test(binding.address)) {
        return { key: `sparkplug ${binding.address} ${field}`, problem: `Sparkplug address "${binding.address}" should be "spBv1.0/<group>/DDATA/<edge node>/<device>" (or NDATA without the device)` };
      }
      if (!binding.field) return { key: `sparkplug ${binding.address}`, problem: 'a Sparkplug binding needs "field": the metric name, e.g. "Pump/DischargePressure"' };
      return { key: `sparkplug ${binding.address} ${field}` };
  }
}
