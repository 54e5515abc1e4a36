export * from './create-app';
export * from './main-runner';
export * from './platform-modules';
export * from './ping.rpc-controller';
