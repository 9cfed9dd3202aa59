export * from './types.ts';
export * from './codec/index.ts';
export * from './fmp4/index.ts';
export * from './rtp/index.ts';
export * from './rtsp/index.ts';
