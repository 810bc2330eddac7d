export * from './schema.js';
export * from './issues.js';
export * from './cycles.js';
export * from './validate.js';
export * from './parse.js';
export * from './file.js';
