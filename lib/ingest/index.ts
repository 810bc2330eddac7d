export * from './types.js';
export * from './bindings.js';
export * from './modbus.js';
export * from './opcua.js';
export * from './mqtt-json.js';
export * from './sparkplug.js';
export * from './stale.js';
export * from './route.js';
