export * from './iin.ts';
export * from './phones.ts';
export * from './plates.ts';
