export * from './test-env';
export * from './isolation';
export * from './broker-proxy';
export * from './wait-for';
export * from './test-logger';
export * from './second-broker';
export * from './forged-tokens';
