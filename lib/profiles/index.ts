export * from './types.js';
export * from './registers.js';
export * from './units.js';
export * from './channel.js';
export * from './builtin.js';
export * from './schema.js';
export * from './registry.js';
