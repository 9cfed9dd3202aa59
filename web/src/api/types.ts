import type {
  ApartmentPage,
  AuditPage,
  AuditVerifyResult,
  CameraGrant,
  CameraGrantList,
  CameraImportReport,
  CameraPage,
  ComplexList,
  StatusHistory,
  TotpSetupResponse,
  UptimeReport,
  UserPage,
  WallLayoutList,
} from '@kuzet/contracts';

/**
 * The output type of a contracts schema. Contracts export some types only as
 * schemas (page types); this reads the type off a zod 4 schema without the web
 * importing zod itself.
 */
export type Out<S extends { _zod: { output: unknown } }> = S['_zod']['output'];

export type UserPageT = Out<typeof UserPage>;
export type AuditPageT = Out<typeof AuditPage>;
export type ApartmentPageT = Out<typeof ApartmentPage>;
export type ComplexListT = Out<typeof ComplexList>;
export type TotpSetupT = Out<typeof TotpSetupResponse>;
export type AuditVerifyT = AuditVerifyResult;
export type CameraPageT = Out<typeof CameraPage>;
export type CameraImportReportT = CameraImportReport;
export type UptimeReportT = Out<typeof UptimeReport>;
export type StatusHistoryT = Out<typeof StatusHistory>;
export type StatusHistoryItemT = StatusHistoryT['items'][number];
export type CameraGrantT = Out<typeof CameraGrant>;
export type CameraGrantListT = Out<typeof CameraGrantList>;
export type WallLayoutListT = Out<typeof WallLayoutList>;

export interface PageParams {
  limit: number;
  offset: number;
}
