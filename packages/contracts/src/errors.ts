/**
 * The one catalog of error codes. Services throw DomainError(code); the server's
 * error handler maps the code to an HTTP status and this default message.
 * The web console translates codes (i18n key `error.<CODE>`), so the message here
 * is the English fallback for API clients.
 */
export const errorCatalog = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid: see details for each field.' },
  MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json.' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  NOT_FOUND: { status: 404, message: 'Nothing is found at this address.' },
  AUTH_REQUIRED: { status: 401, message: 'Sign in to continue.' },
  AUTH_INVALID_CREDENTIALS: { status: 401, message: 'The user name or password is wrong.' },
  AUTH_THROTTLED: { status: 429, message: 'Too many failed sign-in attempts. Wait a minute and try again, or ask an administrator to unlock the account.' },
  AUTH_TOTP_REQUIRED: { status: 401, message: 'Enter the 6-digit code from your authenticator app.' },
  AUTH_TOTP_INVALID: { status: 401, message: 'The authenticator code is wrong or expired.' },
  AUTH_TOTP_NOT_SET_UP: { status: 409, message: 'Start the authenticator setup first.' },
  AUTH_PASSWORD_WRONG: { status: 403, message: 'The current password is wrong.' },
  AUTH_PASSWORD_WEAK: { status: 400, message: 'The password must be at least 10 characters long.' },
  SESSION_LOCKED: { status: 423, message: 'The screen is locked. Enter your password to unlock it.' },
  CSRF_INVALID: { status: 403, message: 'The security token is missing or stale. Reload the page and try again.' },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this action.' },
  OUT_OF_SCOPE: { status: 403, message: 'This object belongs to a complex outside your scope.' },
  USER_NOT_FOUND: { status: 404, message: 'No such user.' },
  USER_EXISTS: { status: 409, message: 'A user with this login already exists.' },
  USER_DISABLED: { status: 403, message: 'This account is disabled.' },
  USER_SELF_LOCKOUT: { status: 409, message: 'You cannot disable yourself or remove your own administrator role.' },
  SCOPE_INVALID: { status: 400, message: 'The scope does not fit the role: choose a complex for staff of a post, a district for district staff.' },
  COMPLEX_NOT_FOUND: { status: 404, message: 'No such complex.' },
  DISTRICT_NOT_FOUND: { status: 404, message: 'No such district.' },
  BUILDING_NOT_FOUND: { status: 404, message: 'No such building.' },
  ENTRANCE_NOT_FOUND: { status: 404, message: 'No such entrance.' },
  ZONE_NOT_FOUND: { status: 404, message: 'No such zone.' },
  ZONE_INVALID_POLYGON: { status: 400, message: 'A zone needs at least 3 points inside the site plan.' },
  CAMERA_NOT_FOUND: { status: 404, message: 'No such camera.' },
  CAMERA_REF_INVALID: { status: 400, message: 'The building, entrance or zone does not belong to this complex.' },
  CAMERA_POSITION_OUTSIDE: { status: 400, message: 'The camera position is outside the site plan.' },
  CAMERA_URL_CREDENTIALS: { status: 400, message: 'Put the user name and password in their own fields, not in the address.' },
  CSV_INVALID: { status: 400, message: 'The CSV has no header row or none of the required columns (name, type, main_url).' },
  GRANT_NOT_FOUND: { status: 404, message: 'No such access grant.' },
  GRANT_NOT_PARTNER: { status: 400, message: 'Grants are for partner accounts of this complex only.' },
  GRANT_EXPIRY_INVALID: { status: 400, message: 'A grant must expire in the future, within 30 days.' },
  VIDEO_GRANT_REQUIRED: { status: 403, message: 'Video of this camera needs an access grant from an administrator.' },
  LAYOUT_NOT_FOUND: { status: 404, message: 'No such wall layout.' },
  LAYOUT_CELLS_INVALID: { status: 400, message: 'The layout needs one cell per tile, each an existing camera of your complexes or empty.' },
  IMPORT_NOT_FOUND: { status: 404, message: 'No such import preview (it may have expired: upload the file again).' },
  IMPORT_NOT_READY: { status: 409, message: 'The import preview is not ready to be confirmed.' },
  IMPORT_EXPIRED: { status: 410, message: 'The import preview has expired: upload the file again.' },
  IMPORT_FILE_UNREADABLE: { status: 400, message: 'The file is neither a CSV nor an XLSX list that can be read.' },
  IMPORT_NO_COLUMNS: { status: 400, message: 'The file has no surname, name and apartment columns: check its header row.' },
  IMPORT_REGISTRY_CHANGED: { status: 409, message: 'The registry changed since the preview: upload the file again.' },
  PERSON_NOT_FOUND: { status: 404, message: 'No such person.' },
  PREMISE_NOT_FOUND: { status: 404, message: 'No such premise in this complex.' },
  MANAGEMENT_COMPANY_NOT_FOUND: { status: 404, message: 'No such management company (ОСИ/КСК) in this complex.' },
  CARETAKER_NOT_FOUND: { status: 404, message: 'No such caretaker in this complex.' },
  PREVENTION_RECORD_NOT_FOUND: { status: 404, message: 'No such preventive registry record.' },
  PREVENTION_CATEGORY_UNKNOWN: { status: 400, message: 'No such preventive registry category.' },
  PREVENTION_INSPECTOR_INVALID: { status: 400, message: 'The responsible inspector must be an active inspector, district chief or administrator of this complex.' },
  VISIT_ROUND_NOT_FOUND: { status: 404, message: 'No such door-to-door round.' },
  VISIT_ROUND_EMPTY: { status: 400, message: 'Choose at least one building or entrance of this complex for the round.' },
  VISIT_APARTMENT_NOT_IN_ROUND: { status: 404, message: 'This apartment is not on the round.' },
  APARTMENT_NOT_FOUND: { status: 404, message: 'No such apartment.' },
  IIN_INVALID: { status: 400, message: 'The IIN is not valid: 12 digits with a correct check digit and birth date.' },
  PHONE_INVALID: { status: 400, message: 'The phone number is not valid: type it as +7 7XX XXX XX XX.' },
  PLATE_INVALID: { status: 400, message: 'The plate is not valid: 123 ABC 02, 123 AB 02 or A 123 BC.' },
  PERSON_IIN_TAKEN: { status: 409, message: 'A person with this IIN is already recorded in this complex.' },
  VEHICLE_PLATE_TAKEN: { status: 409, message: 'A vehicle with this plate is already recorded in this complex.' },
  IIN_SEARCH_FORBIDDEN: { status: 403, message: 'Your role cannot search by IIN.' },
  PERSON_NOT_ARCHIVED: { status: 409, message: 'Archive the person first; erasure comes after the retention period.' },
  ERASURE_TOO_EARLY: { status: 409, message: 'The retention period after archiving has not passed yet.' },
  ERASURE_HELD: { status: 409, message: 'The person is linked to an open appeal or incident, or is on the preventive registry; erase after it closes or ends.' },
  // Recording holds and retention (issue 8, retention helper)
  RECORDING_HOLD_NOT_FOUND: { status: 404, message: 'No such hold on this camera\'s footage.' },
  RECORDING_HOLD_INVALID: { status: 400, message: 'The hold is not valid: its end must be after its start, it cannot start in the future, and it may span at most 31 days.' },
  RECORDING_HOLD_RELEASED: { status: 409, message: 'This hold is already released.' },
  // Playback (issue 8)
  RECORDING_NOT_FOUND: { status: 404, message: 'Nothing is recorded at or after this time within the window: pick a time on the timeline where footage exists.' },
  CLIP_NOT_FOUND: { status: 404, message: 'No such clip (clips are deleted an hour after they are made: make it again).' },
  CLIP_NOT_READY: { status: 409, message: 'The clip is not ready yet: wait until its progress reaches 100 %.' },
  BOOKMARK_NOT_FOUND: { status: 404, message: 'No such bookmark.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests. Slow down and try again.' },
  OVERLOADED: { status: 503, message: 'The server is busy right now. Try again in a moment (see Retry-After).' },
  INTERNAL: { status: 500, message: 'Something went wrong on the server. The error was logged.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalog;
export const errorCodes = Object.keys(errorCatalog) as ErrorCode[];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
  requestId: string;
}
