// Preloaded into a CLI child: emits a warning of its own as the process ends, to show that hotspare
// silences only the AWS SDK's Node version warning, not warnings in general.
process.once('beforeExit', () => process.emitWarning('a warning that must still be printed', 'TestWarning'));
