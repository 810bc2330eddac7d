export * from './alarms/index.js';
export * from './grafana/index.js';
export * from './model/index.js';
export * from './questdb/index.js';
export * from './risk/index.js';
export * from './site/index.js';
export * from './profiles/index.js';
export * from './ingest/index.js';
