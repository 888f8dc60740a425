/**
 * The Windows MDM enrollment HRESULTs (facility 0x18, "device enroller": 0x8018xxxx) that
 * `RegisterDeviceWithManagement` and the provisioning-package enrollment report, as Microsoft
 * publishes them in "MDM registration error values" (MDMRegistration.h,
 * https://learn.microsoft.com/windows/win32/mdmreg/mdm-registration-constants), each with what it
 * means for a PIN-based migration in English and Japanese. The device-side scripts write these
 * codes into their `*.pinpack.log`; the language server explains them on hover.
 */
export interface EnrollmentError {
  /** The constant's name in MDMRegistration.h. */
  readonly name: string;
  readonly en: string;
  readonly ja: string;
}

export const ENROLLMENT_ERRORS: ReadonlyMap<number, EnrollmentError> = new Map<number, EnrollmentError>([
  [0x80180001, { name: 'MENROLL_E_DEVICE_MESSAGE_FORMAT_ERROR', en: 'The MDM server sent a message in an invalid format (schema error).', ja: 'MDM サーバーから無効な形式のメッセージ (スキーマ エラー) が返されました。' }],
  [0x80180002, { name: 'MENROLL_E_DEVICE_AUTHENTICATION_ERROR', en: 'The server could not authenticate the user.', ja: 'サーバーがユーザーを認証できませんでした。' }],
  [0x80180003, { name: 'MENROLL_E_DEVICE_AUTHORIZATION_ERROR', en: 'The user is not authorized to enroll.', ja: 'ユーザーには登録する権限がありません。' }],
  [0x80180004, { name: 'MENROLL_E_DEVICE_CERTIFICATEREQUEST_ERROR', en: 'The user has no permission for the certificate template, or the certificate authority cannot be reached.', ja: 'ユーザーに証明書テンプレートへのアクセス許可がないか、証明機関に接続できません。' }],
  [0x80180005, { name: 'MENROLL_E_DEVICE_CONFIGMGRSERVER_ERROR', en: 'The management server failed, for example with a database access error.', ja: '管理サーバーでエラー (データベース アクセス エラーなど) が発生しました。' }],
  [0x80180006, { name: 'MENROLL_E_DEVICE_INTERNALSERVICE_ERROR', en: 'The server raised an unhandled exception.', ja: 'サーバーで未処理の例外が発生しました。' }],
  [0x80180007, { name: 'MENROLL_E_DEVICE_INVALIDSECURITY_ERROR', en: 'The server raised an unhandled exception (invalid security).', ja: 'サーバーで未処理の例外 (セキュリティが無効) が発生しました。' }],
  [0x80180008, { name: 'MENROLL_E_DEVICE_UNKNOWN_ERROR', en: 'Unknown server error.', ja: '不明なサーバー エラーです。' }],
  [0x80180009, { name: 'MENROLL_E_ENROLLMENT_IN_PROGRESS', en: 'Another enrollment is in progress on this device.', ja: 'このデバイスでは別の登録処理が進行中です。' }],
  [0x8018000a, { name: 'MENROLL_E_DEVICE_ALREADY_ENROLLED', en: 'The device is already enrolled (often still in the previous MDM: unenroll it first).', ja: 'デバイスは既に登録されています (多くの場合、以前の MDM に登録されたままです。先に登録を解除してください)。' }],
  [0x8018000b, { name: 'MENROLL_E_DEVICE_NOT_ENROLLED', en: 'The device is not enrolled.', ja: 'デバイスは登録されていません。' }],
  [0x8018000d, { name: 'MENROLL_E_DISCOVERY_SEC_CERT_DATE_INVALID', en: 'During discovery, the date of the security certificate was invalid: check the device clock.', ja: '検出中にセキュリティ証明書の日付が無効でした。デバイスの時刻を確認してください。' }],
  [0x8018000e, { name: 'MENROLL_E_PASSWORD_NEEDED', en: 'A password is needed but was not supplied.', ja: 'パスワードが必要ですが、指定されていません。' }],
  [0x8018000f, { name: 'MENROLL_E_WAB_ERROR', en: 'An error occurred during web authentication broker (WAB) enrollment.', ja: 'Web 認証ブローカー (WAB) による登録中にエラーが発生しました。' }],
  [0x80180010, { name: 'MENROLL_E_CONNECTIVITY', en: 'A network error occurred, such as a DNS failure or a network timeout.', ja: 'DNS の失敗やネットワークのタイムアウトなど、ネットワーク エラーが発生しました。' }],
  [0x80180012, { name: 'MENROLL_E_INVALIDSSLCERT', en: 'The SSL certificate was not valid.', ja: 'SSL 証明書が無効でした。' }],
  [0x80180013, { name: 'MENROLL_E_DEVICECAPREACHED', en: 'The user has enrolled too many devices: delete or unenroll old ones (the user can do this without an admin).', ja: 'ユーザーが登録できるデバイスの上限に達しています。古いデバイスを削除するか登録を解除してください (管理者なしでユーザー自身が行えます)。' }],
  [0x80180014, { name: 'MENROLL_E_DEVICENOTSUPPORTED', en: 'This platform or Windows version is not supported: upgrade the device.', ja: 'このプラットフォームまたは Windows のバージョンはサポートされていません。デバイスをアップグレードしてください。' }],
  [0x80180015, { name: 'MENROLL_E_NOTSUPPORTED', en: 'Mobile device management is not supported for this device.', ja: 'このデバイスではモバイル デバイス管理がサポートされていません。' }],
  [0x80180016, { name: 'MENROLL_E_NOTELIGIBLETORENEW', en: 'The server refused to renew the enrollment: check the device clock, or enroll again.', ja: 'サーバーが登録の更新を拒否しました。デバイスの時刻を確認するか、登録し直してください。' }],
  [0x80180017, { name: 'MENROLL_E_INMAINTENANCE', en: 'The account is in maintenance: try again later.', ja: 'アカウントはメンテナンス中です。しばらくしてから再試行してください。' }],
  [0x80180018, { name: 'MENROLL_E_USERLICENSE', en: "The user's license is in a state that blocks enrollment: an admin must fix the license.", ja: 'ユーザーのライセンスが登録できない状態です。管理者がライセンスを修正する必要があります。' }],
  [0x80180019, { name: 'MENROLL_E_ENROLLMENTDATAINVALID', en: 'The server rejected the enrollment data; the server may be misconfigured.', ja: 'サーバーが登録データを拒否しました。サーバーの構成に誤りがある可能性があります。' }],
  [0x8018001a, { name: 'MENROLL_E_INSECUREREDIRECT', en: 'The server asked for HTTP instead of HTTPS, which was refused.', ja: 'サーバーが HTTPS ではなく HTTP を要求したため、拒否されました。' }],
  [0x8018001b, { name: 'MENROLL_E_PLATFORM_WRONG_STATE', en: 'An invalid operation was attempted, such as enrolling the same device twice or unenrolling an unknown one.', ja: '同じデバイスの二重登録や不明なデバイスの登録解除など、無効な操作が試行されました。' }],
  [0x8018001c, { name: 'MENROLL_E_PLATFORM_LICENSE_ERROR', en: 'The installed Windows edition does not support this type of enrollment.', ja: 'インストールされている Windows のエディションは、この種類の登録をサポートしていません。' }],
  [0x8018001d, { name: 'MENROLL_E_PLATFORM_UNKNOWN_ERROR', en: 'An unknown error occurred on the client.', ja: 'クライアントで不明なエラーが発生しました。' }],
  [0x8018001e, { name: 'MENROLL_E_PROV_CSP_CERTSTORE', en: 'Provisioning failed in the CertificateStore CSP.', ja: 'CertificateStore CSP でのプロビジョニングに失敗しました。' }],
  [0x8018001f, { name: 'MENROLL_E_PROV_CSP_W7', en: 'Provisioning failed in the W7 (DMAcc) CSP.', ja: 'W7 (DMAcc) CSP でのプロビジョニングに失敗しました。' }],
  [0x80180020, { name: 'MENROLL_E_PROV_CSP_DMCLIENT', en: 'Provisioning failed in the DMClient CSP.', ja: 'DMClient CSP でのプロビジョニングに失敗しました。' }],
  [0x80180021, { name: 'MENROLL_E_PROV_CSP_PFW', en: 'Provisioning failed in the PassportForWork CSP.', ja: 'PassportForWork CSP でのプロビジョニングに失敗しました。' }],
  [0x80180022, { name: 'MENROLL_E_PROV_CSP_MISC', en: 'Provisioning failed in another CSP.', ja: 'その他の CSP でのプロビジョニングに失敗しました。' }],
  [0x80180023, { name: 'MENROLL_E_PROV_UNKNOWN', en: 'Provisioning failed, and no CSP is named.', ja: 'プロビジョニングに失敗しました (原因の CSP は示されていません)。' }],
  [0x80180024, { name: 'MENROLL_E_PROV_SSLCERTNOTFOUND', en: 'The public certificate to bind to the private key was not found (the provisioning payload may target the wrong store).', ja: '秘密キーに関連付ける公開証明書が見つかりませんでした (プロビジョニングの内容が誤ったストアを対象にしている可能性があります)。' }],
  [0x80180025, { name: 'MENROLL_E_PROV_CSP_APPMGMT', en: 'Provisioning failed in the EnterpriseAppManagement CSP.', ja: 'EnterpriseAppManagement CSP でのプロビジョニングに失敗しました。' }],
  [0x80180026, { name: 'MENROLL_E_DEVICE_MANAGEMENT_BLOCKED', en: 'MDM enrollment is blocked, possibly by Group Policy or SetManagedExternally (for example a leftover SCCM or EPM policy).', ja: 'MDM 登録がブロックされています。グループ ポリシーまたは SetManagedExternally によるものと考えられます (SCCM や EPM のポリシーが残っている場合など)。' }],
  [0x80180027, { name: 'MENROLL_E_CERTPOLICY_PRIVATEKEYCREATION_FAILED', en: 'The private key could not be created.', ja: '秘密キーを作成できませんでした。' }],
  [0x80180028, { name: 'MENROLL_E_CERTAUTH_FAILED_TO_FIND_CERT', en: 'Certificate authentication was requested, but no certificate to use was found.', ja: '証明書認証が要求されましたが、使用できる証明書が見つかりませんでした。' }],
  [0x80180029, { name: 'MENROLL_E_EMPTY_MESSAGE', en: 'The server answered HTTP 200 with an empty message.', ja: 'サーバーは HTTP 200 を返しましたが、メッセージが空でした。' }],
  [0x80180030, { name: 'MENROLL_E_USER_CANCELED', en: 'The user canceled the operation.', ja: 'ユーザーが操作を取り消しました。' }],
  [0x80180031, { name: 'MENROLL_E_MDM_NOT_CONFIGURED', en: 'Mobile device management is not configured.', ja: 'モバイル デバイス管理が構成されていません。' }],
]);

/**
 * HRESULTs in a line of text: hexadecimal (`0x8018000A`, any case) or the decimal a process exit
 * code shows them as (`-2145910774` signed, as `$LASTEXITCODE` prints it; `2149056522` unsigned).
 */
const HRESULT = /\b0x[0-9a-f]{8}\b|(?<![\w.-])-?\d{10}\b/gi;

function valueOf(text: string): number {
  if (/^0x/i.test(text)) return Number.parseInt(text.slice(2), 16);
  const value = Number(text);
  return value < 0 ? value + 2 ** 32 : value;
}

/** The enrollment error whose hex code covers `offset` in `line`, if any. */
export function enrollmentErrorAt(line: string, offset: number): { code: number; start: number; end: number; error: EnrollmentError } | undefined {
  for (const match of line.matchAll(HRESULT)) {
    const start = match.index;
    const end = start + match[0].length;
    if (offset < start || offset > end) continue;
    const code = valueOf(match[0]);
    const error = ENROLLMENT_ERRORS.get(code);
    return error ? { code, start, end, error } : undefined;
  }
  return undefined;
}

/** `0x8018000A`: how the table and Microsoft's page write a code. */
export function hresultText(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(8, '0')}`;
}
