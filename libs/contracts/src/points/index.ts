// The points area's DTOs and types: export each new file here.
export * from './points.dto';
export * from './lifecycle.dto';
export * from './points.events';
