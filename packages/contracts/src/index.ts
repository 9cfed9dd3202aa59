export * from './errors.ts';
export * from './roles.ts';
export * from './common.ts';
export * from './auth.ts';
export * from './users.ts';
export * from './audit.ts';
export * from './site.ts';
export * from './policy.ts';
