export * from './annotations.js';
export * from './client.js';
export * from './dashboard-files.js';
export * from './datasource.js';
export * from './errors.js';
export * from './provision.js';
export * from './queue.js';
export * from './types.js';
