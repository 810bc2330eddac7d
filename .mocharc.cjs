// Mocha runs the TypeScript sources through tsx, and is never told to force its exit: a run that does not end by
// itself has leaked a handle, and that is a bug to find.
module.exports = {
  'node-option': ['import=tsx'],
  extension: ['ts'],
  timeout: 20000,
  reporter: 'spec',
};
