export * from './reading.js';
export * from './site.js';
export * from './risk.js';
export * from './alarm.js';
export * from './messages.js';
