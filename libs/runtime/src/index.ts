// First: registers the driver instrumentations before anything loads the drivers (see the file).
import './preload-tracing';
export * from './create-app';
export * from './main-runner';
export * from './startup-settings';
export * from './platform-modules';
export * from './ping.rpc-controller';
