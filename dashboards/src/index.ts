export * from './alarms.js';
export * from './catalogue.js';
export * from './common.js';
export * from './equipment.js';
export * from './field.js';
export * from './overview.js';
export * from './risk-graph.js';
export * from './security.js';
