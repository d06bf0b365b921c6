/**
 * The one error catalogue: every stable error `code` the project raises, with the HTTP status it
 * is answered with and what it means in Chinese and English. HTTP (problem+json), the
 * workspace's pages and the OpenAPI document read this table; nothing else maps codes to
 * statuses. A throw site still says what happened in its own words (the error's `zh`/`en`);
 * the catalogue says what the code means in general. `local`: raised at start-up or by the
 * CLI, never in an HTTP answer. `retryAfter`: the seconds a client should wait (Retry-After).
 * Codes are stable; new ones may be added.
 */
export interface CatalogueEntry {
  status: number;
  zh: string;
  en: string;
  retryAfter?: number;
  local?: true;
}

export const ERROR_CATALOGUE = {
  JSON_MALFORMED: { status: 400, zh: '请求体不是有效的 JSON', en: 'the body is not valid JSON' },
  CONTENT_ENCODING_INVALID: {
    status: 400,
    zh: '请求体与其 Content-Encoding 声明的编码不符',
    en: 'the body is not what its Content-Encoding says (e.g. gzip named, plain bytes sent)',
  },
  INVALID_UTF8: {
    status: 400,
    zh: '请求体不是有效的 UTF-8 编码',
    en: 'the body is not valid UTF-8 (it is refused, never silently repaired)',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    zh: '未在时限内收到完整请求',
    en: 'the request was not received within the time limit',
  },
  HEADERS_TOO_LARGE: { status: 431, zh: '请求头超过 16 KB', en: 'the request headers exceed 16 KB' },
  AUTH_THROTTLED: {
    status: 429,
    zh: '此地址认证失败次数过多，请稍后再试',
    en: 'too many failed authentications from this address (see Retry-After)',
  },
  REVIEW_REQUIRED: {
    status: 403,
    zh: '律师函（及须经本机构审核的函件）须提交发函申请，经审核批准后出具',
    en: "a lawyer's letter (or a letter of a creditor that reviews its own) is issued through POST /v1/letter-requests and a reviewer's approval",
  },
  NOT_ASSIGNED: {
    status: 403,
    zh: '只有该委托指派的承办律师（或本机构的审核人）可以审核此申请',
    en: 'only a lawyer assigned to the engagement (or a reviewer of the creditor) may review this request',
  },
  USER_DISABLED: {
    status: 403,
    zh: '该用户已停用：不能登录、审核或出具函件',
    en: 'the user is disabled (left the organisation): no sign-in, review or issuing until an admin enables them again',
  },
  SENDER_MISMATCH: {
    status: 403,
    zh: '机构只能以本机构的名称（和统一社会信用代码）出具函件',
    en: 'an organisation issues only under its own name (and credit code)',
  },
  REQUEST_NOT_FOUND: {
    status: 404,
    zh: '没有这个发函申请',
    en: 'no letter request with this id that the caller may see',
  },
  ENGAGEMENT_NOT_FOUND: {
    status: 404,
    zh: '没有这个委托',
    en: "no engagement with this id for the caller's organisation",
  },
  CONFLICT: {
    status: 409,
    zh: '记录已存在（名称或登录名已被使用）',
    en: 'the record already exists (a name or login that is taken)',
  },
  SENDER_REGISTERED: {
    status: 409,
    zh: '出具方已登记为机构，其函件须以该机构的身份出具',
    en: 'the sender is a registered organisation: its letters are issued with its own API key (one number series per sender)',
  },
  ALREADY_ISSUED: {
    status: 409,
    zh: '该合同今天已出具同类函件',
    en: 'a letter of this kind was already issued today for this contract',
  },
  TRANSITION_NOT_ALLOWED: {
    status: 409,
    zh: '该事件与函件当前状态不符',
    en: "the event does not follow from the letter's current state (e.g. delivered before dispatched, or any event on a void letter)",
  },
  EVENT_OUT_OF_ORDER: {
    status: 409,
    zh: '事件时间早于出具日期或上一送达事件',
    en: "the event's time (at) is before the letter's issue date, or a delivery event is before the delivery event it follows; the current state is named",
  },
  AMOUNT_ABOVE_OUTSTANDING: {
    status: 409,
    zh: '还款金额超过尚欠金额',
    en: 'a payment above the outstanding amount (the total less recorded payments): send "overpayment": true if the debtor really overpaid',
  },
  DISPUTE_OPEN: {
    status: 409,
    zh: '债务人就该合同提出的异议或困难帮扶申请尚未处理，处理前不再发函',
    en: "the debtor's dispute or hardship request for this contract is open: no further letter until the creditor resolves it",
  },
  ALREADY_RESOLVED: {
    status: 409,
    zh: '该异议或帮扶申请已处理',
    en: 'the dispute or hardship request was already resolved',
  },
  LETTER_VOID: { status: 409, zh: '该函件已作废', en: 'the letter is void' },
  CSRF: { status: 403, zh: '表单已失效，请重新打开页面', en: 'the form has no valid CSRF token: open the page again' },
  FROM_REGISTRY: {
    status: 422,
    zh: '前一封函件和分期方案由登记簿和方案设置填写，请勿在输入中提供',
    en: 'previous or plans was sent: the registry fills in the previous letter, and plan options come from the plan settings',
  },
  CONFIRMATION_FROM_ACCEPTANCE: {
    status: 403,
    zh: '还款计划确认函只在债务人接受方案后由系统出具',
    en: 'a plan confirmation is issued only when the debtor accepts a plan on the verification page',
  },
  PLAN_NOT_OFFERED: { status: 404, zh: '该函件没有提供分期还款方案', en: 'the letter offers no repayment plan' },
  PLAN_ALREADY_ACCEPTED: {
    status: 409,
    zh: '已接受该函件的另一个方案',
    en: 'another option of this letter was already accepted',
  },
  PLAN_OFFER_EXPIRED: {
    status: 409,
    zh: '方案的接受期限已届满',
    en: "the offer's acceptance period (the letter's deadline, before the first instalment) has passed",
  },
  PLAN_CODE_REQUIRED: {
    status: 403,
    zh: '接受方案须填写发送到合同预留手机号的短信验证码',
    en: 'a plan is accepted only with the one-time code sent to the phone on the contract (POST /v1/verify/plans/code, then smsCode): none was given, or none was sent',
  },
  PLAN_CODE_INVALID: {
    status: 403,
    zh: '短信验证码不正确',
    en: 'the one-time code is wrong (each wrong entry counts; after 5 the code no longer works)',
  },
  PLAN_CODE_EXPIRED: {
    status: 403,
    zh: '短信验证码已失效，请重新获取',
    en: 'the one-time code has expired (10 minutes) or was already used: ask for a new one',
  },
  PLAN_CODE_LOCKED: {
    status: 403,
    zh: '短信验证码输错次数过多，已失效，请重新获取',
    en: 'the one-time code was entered wrongly 5 times and no longer works: ask for a new one',
  },
  PLAN_CODE_MISMATCH: {
    status: 403,
    zh: '短信验证码不是为所选方案发送的，请重新获取',
    en: 'the one-time code was sent for another option of the offer (a code is bound to the option it was sent for)',
  },
  PLAN_CODE_TOO_SOON: {
    status: 429,
    zh: '验证码刚刚发送过，请稍后再重新获取',
    en: 'a one-time code was sent for this letter less than a minute ago (the one sent still works)',
    retryAfter: 60,
  },
  PLAN_CODE_TOO_MANY: {
    status: 429,
    zh: '获取验证码次数过多，请稍后再试',
    en: 'too many one-time codes for this letter (at most 5 an hour and 10 a day)',
    retryAfter: 3600,
  },
  PLAN_PHONE_MISSING: {
    status: 409,
    zh: '函件未登记债务人手机号，无法在线确认方案',
    en: "the letter's input holds no debtor.phone to send the one-time code to: the plan cannot be accepted online",
  },
  SMS_UNAVAILABLE: {
    status: 503,
    zh: '短信验证码暂时无法发送',
    en: 'the one-time code could not be sent: no SMS sender is configured, or the provider failed or did not answer',
    retryAfter: 60,
  },
  SEAL_IMAGE_INVALID: {
    status: 422,
    zh: '印章图片无效',
    en: "an uploaded seal image is not a PNG of a seal's size (at most 512 KB, 100–2000 px a side, intact chunks), or is the specimen seal",
  },
  MANDATE_TYPE: {
    status: 422,
    zh: '授权委托书须为 PDF、PNG 或 JPEG 文件（按文件内容识别）',
    en: 'the mandate (授权委托书) must be a PDF, PNG or JPEG file, recognised by its content',
  },
  MANDATE_REQUIRED: {
    status: 409,
    zh: '函件附件列有授权委托书，但委托没有存储授权委托书文件：律师函不能在没有它的情况下出具',
    en: 'the letter lists the 授权委托书 (mandate) as an attachment and the engagement holds no stored mandate: the letter is not issued without it',
  },
  MANDATE_ALREADY_STORED: {
    status: 409,
    zh: '该委托已存有授权委托书文件',
    en: 'the engagement holds its mandate file already (hanjian engagements mandate)',
  },
  MANDATE_MISMATCH: {
    status: 409,
    zh: '该文件不是委托登记的授权委托书',
    en: 'the file is not the mandate the engagement recorded: its sha256 differs (hanjian engagements mandate)',
  },
  MANDATE_UNREADABLE: {
    status: 422,
    zh: '授权委托书 PDF 无法读取（已加密或已损坏），不能附于函件之后',
    en: 'the mandate PDF cannot be read (encrypted or malformed), so it cannot be appended to letters',
  },
  MANDATE_SHA256_FORMAT: {
    status: 422,
    zh: '授权委托书的 sha256 应为 64 位小写十六进制',
    en: 'the mandate sha256 must be 64 lower-case hex digits',
  },
  MANDATE_TOO_LARGE: { status: 413, zh: '授权委托书文件超过 10 MB', en: 'the mandate file exceeds 10 MB' },
  STORED_FILE_CORRUPT: {
    status: 500,
    zh: '存储的文件缺失或与记录不符',
    en: 'a stored file is missing or does not match its record; it is never served',
  },
  PROOF_TYPE: {
    status: 422,
    zh: '证明文件须为 PDF、PNG 或 JPEG，且内容与类型一致',
    en: 'a proof file must be a PDF, PNG or JPEG whose content matches its type',
  },
  PROOF_NOT_FOUND: {
    status: 422,
    zh: '没有这个证明文件（请先上传）',
    en: 'an event names a proof file that was not uploaded',
  },
  TEXT_INVALID: {
    status: 422,
    zh: '文字为空、过长或含控制字符',
    en: 'a free-text field is empty, too long or holds control characters',
  },
  ALREADY_VOID: { status: 409, zh: '该函件已作废', en: 'the letter was already voided' },
  REQUEST_NOT_PENDING: { status: 409, zh: '该申请已审核完毕', en: 'the request was already decided' },
  IMPORT_NOTHING_PENDING: {
    status: 409,
    zh: '该导入批次没有待审核的函件',
    en: 'nothing of the import is pending review (workspace: deciding a whole import)',
  },
  IMPORT_DRAFT_NOT_OPENED: {
    status: 409,
    zh: '整批审核前须至少打开一封函件草稿',
    en: 'a whole import is decided only after at least one of its drafts was opened',
  },
  IMPORT_CHANGED: {
    status: 409,
    zh: '导入批次待审核的函件数或金额与确认时不同',
    en: "the import's pending letters or their total differ from what was confirmed",
  },
  REQUEST_PENDING: {
    status: 409,
    zh: '该合同已有待审核的律师函申请',
    en: "a lawyer's letter request for this contract is already pending review",
  },
  SIGNING_UNAVAILABLE: {
    status: 409,
    zh: '出具方的签名证书不在有效期内，暂不能出具',
    en: "the sender's signing certificate (HANJIAN_SIGNING) is outside its validity: letters are refused until it is replaced",
  },
  SEAL_REQUIRED: {
    status: 409,
    zh: '出具方没有配置正式印章，不能出具正式函件',
    en: 'the sender has no configured seal other than the specimen: final letters are refused',
  },
  INPUT_TOO_DEEP: {
    status: 422,
    zh: '数据嵌套超过 32 层',
    en: 'the body nests deeper than 32 levels; the path is named',
  },
  INPUT_TOO_WIDE: { status: 422, zh: '某个对象的字段超过 64 个', en: 'an object of the body has more than 64 fields' },
  INPUT_TOO_LARGE: { status: 422, zh: '数据的值超过 5,000 个', en: 'the body holds more than 5,000 values' },
  FORBIDDEN_KEY: {
    status: 422,
    zh: '数据含有 __proto__、constructor 或 prototype 键',
    en: 'a __proto__, constructor or prototype key',
  },
  INPUT_NOT_TRANSFERABLE: {
    status: 422,
    zh: '数据无法交给渲染进程',
    en: 'the input cannot be handed to a render worker',
  },
  EVENT_IN_FUTURE: {
    status: 422,
    zh: '事件时间晚于当前时间',
    en: "the event's time (at) is more than 5 minutes ahead of the server's clock",
  },
  ISSUE_DATE_NOT_TODAY: {
    status: 422,
    zh: '正式函件的发函日期须为出具当天',
    en: 'a final letter is dated the day it is issued (Asia/Shanghai)',
  },
  POLICY_NOT_YET: {
    status: 422,
    zh: '按催收策略，现在还不能发此函件',
    en: 'the escalation policy does not allow this letter yet: its reasons are in issues (an override needs scope override)',
  },
  ENGAGEMENT_NOT_IN_FORCE: {
    status: 422,
    zh: '委托在发函日不在有效期内',
    en: 'the engagement is not in force on the issue date',
  },
  PRODUCT_NOT_COVERED: {
    status: 422,
    zh: '委托不涵盖该产品',
    en: "the engagement does not cover the account's product",
  },
  KIND_NOT_REQUESTABLE: { status: 422, zh: '该种类的函件不能申请', en: 'the kind cannot be requested' },
  REVIEW_NOT_ENABLED: {
    status: 422,
    zh: '本机构未开启自有函件审核，请直接出具',
    en: 'the creditor does not review its own letters: issue them with POST /v1/letters',
  },
  NOT_ALLOWED: {
    status: 422,
    zh: '该字段由委托、审核和登记簿决定，请勿提供',
    en: 'a field that the records supply (firm, lawyers, number, engagement) was sent',
  },
  REGISTRY_BUSY: {
    status: 503,
    zh: '登记簿正被其他进程占用，请稍后重试',
    en: 'the registry is locked by another process; retry after Retry-After seconds',
    retryAfter: 2,
  },
  REGISTRY_UNAVAILABLE: {
    status: 503,
    zh: '登记簿数据库暂时无法连接，请稍后重试',
    en: 'the registry database (PostgreSQL) cannot be reached; retry after Retry-After seconds',
    retryAfter: 5,
  },
  TSA_UNAVAILABLE: {
    status: 503,
    zh: '时间戳服务暂不可用：函件未出具，函号未占用，请稍后重试',
    en: "the sender's time-stamping authority (HANJIAN_TSA_URL or its tsaUrl) is down, answered with an HTTP error or not within HANJIAN_TSA_TIMEOUT_MS: the letter was not issued and no number was used; retry after Retry-After seconds",
    retryAfter: 30,
  },
  TSA_REPLY_INVALID: {
    status: 502,
    zh: '时间戳服务的答复无效：函件未出具，函号未占用',
    en: "the sender's time-stamping authority answered with something other than a granted RFC 3161 token for this signature (not a reply, refused, another imprint, another nonce, a TSA signature that does not verify, a TSA certificate not valid at the token's time, a time more than 5 minutes from this server's clock): the letter was not issued and no number was used",
  },
  STORAGE_UNAVAILABLE: {
    status: 503,
    zh: '函件文件无法读写，请稍后重试',
    en: 'the letter files cannot be written or read (the errno is named); retry after Retry-After seconds',
    retryAfter: 30,
  },
  BAD_REQUEST: { status: 400, zh: '请求格式错误', en: 'the request is malformed' },
  UNAUTHENTICATED: { status: 401, zh: '缺少或无法识别 API 密钥', en: 'no API key, or an unknown one' },
  FORBIDDEN: { status: 403, zh: '没有执行此操作的权限', en: 'the key lacks the scope the operation needs' },
  NOT_FOUND: { status: 404, zh: '没有这个地址或记录', en: 'no such route' },
  TEMPLATE_NOT_FOUND: {
    status: 404,
    zh: '没有这个模板版本，或发函日没有生效的版本',
    en: 'no such template version, or none in effect on the issue date',
  },
  LETTER_NOT_FOUND: { status: 404, zh: '没有这封函件', en: 'no issued letter with this id' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    zh: '该地址不支持此请求方法',
    en: 'the route exists but not for this method (see the Allow header)',
  },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    zh: '该幂等键已用于其他数据或其他调用方',
    en: 'the Idempotency-Key was used for other data or by another key',
  },
  BODY_TOO_LARGE: { status: 413, zh: '请求体超过大小限制', en: 'the body exceeds the limit' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    zh: '不支持的内容类型或编码',
    en: 'the body is not UTF-8 application/json (or the form or file type the route takes), or its Content-Encoding is not gzip, deflate, br or identity',
  },
  INVALID_INPUT: {
    status: 422,
    zh: '输入数据有错误，每一处都已列出',
    en: 'the letter data has problems: every one is listed in issues, with its path',
  },
  COMPLIANCE: {
    status: 422,
    zh: '合规检查未通过',
    en: 'the compliance guard refused the letter: the findings are in issues',
  },
  GLYPH_MISSING: {
    status: 422,
    zh: '有字符在字体中没有字形',
    en: 'a character has no glyph in the embedded fonts; the field is named',
  },
  ENVELOPE_WINDOW_OVERFLOW: {
    status: 422,
    zh: '收件地址或姓名在信封窗口内排不下',
    en: 'the postal address (or name) does not fit the envelope window at 9 pt or larger; it is never cut: the field is named',
  },
  LETTER_NO_REQUIRED: {
    status: 422,
    zh: '正式律师函需要函号',
    en: "a final lawyer's letter needs a number (over HTTP the registry or the preview supplies it)",
  },
  LETTER_NO_NOT_ALLOWED: {
    status: 422,
    zh: '出具函件时由登记簿分配函号，请勿提供',
    en: 'letterNo was sent to POST /v1/letters: the registry assigns the number',
  },
  IDEMPOTENCY_KEY_REQUIRED: {
    status: 422,
    zh: '出具函件需要 Idempotency-Key 请求头',
    en: 'POST /v1/letters needs an Idempotency-Key header',
  },
  IDEMPOTENCY_KEY_INVALID: {
    status: 422,
    zh: '幂等键长度应为 1–200',
    en: 'the Idempotency-Key must be 1–200 characters',
  },
  VERIFY_QUERY: {
    status: 422,
    zh: '核验需要函号和核验码',
    en: 'verification needs both the number and code query parameters',
  },
  TOO_MANY_REFUSALS: {
    status: 429,
    zh: '此地址一分钟内的无效请求过多，请稍后再试',
    en: 'too many malformed requests (400/413/415/422) from this unkeyed address in a minute; answered after a 1 s delay (see Retry-After)',
  },
  RATE_LIMITED: {
    status: 429,
    zh: '请求过于频繁，请稍后再试',
    en: 'too many requests for this key or address (see Retry-After)',
  },
  DATA_KEY_WRONG: {
    status: 500,
    zh: '无法解密已存储的个人信息：数据密钥不对',
    en: 'stored personal data cannot be decrypted with the configured data key (an operator error)',
  },
  LETTER_PURGED: {
    status: 410,
    zh: '该函件的 PDF 已按保存期限清除',
    en: "the letter's PDF was purged past retention (its number, hashes and verification remain)",
  },
  AUDIT_KEY_WRONG: {
    status: 500,
    zh: '审计密钥与该登记簿的审计链不符',
    en: "the audit key does not match the registry's audit chain (an operator error)",
  },
  DATA_KEY_MISSING: {
    status: 500,
    zh: '登记簿已有加密的个人信息，但找不到其数据密钥（不会新建密钥）',
    en: 'the registry holds encrypted personal data but its data key is not there (a new key is never made for it)',
    local: true,
  },
  DATA_KEY_INVALID: {
    status: 500,
    zh: '数据密钥无效',
    en: 'the configured data key is not 32 bytes (an operator error)',
  },
  INTERNAL: { status: 500, zh: '服务内部错误', en: 'an internal error; the detail never shows internals' },
  STORED_PDF_MISSING: {
    status: 500,
    zh: '已出具函件的 PDF 文件缺失',
    en: 'the stored PDF of an issued letter is missing',
  },
  STORED_PDF_CORRUPT: {
    status: 500,
    zh: '已出具函件的 PDF 与登记的哈希不符',
    en: 'the stored PDF does not match its recorded sha256; it is never served',
  },
  TEMPLATE_SYNTAX: { status: 500, zh: '模板无法编译', en: 'a template failed to compile (an operator error)' },
  TEMPLATE_RUNTIME: { status: 500, zh: '模板渲染出错', en: 'a template failed while rendering (an operator error)' },
  TEMPLATE_FIELD_MISSING: {
    status: 500,
    zh: '模板引用了不存在的字段',
    en: 'a template references a field that does not exist (an operator error)',
  },
  TEMPLATE_MANIFEST: { status: 500, zh: '模板清单无效', en: 'a template manifest is invalid (an operator error)' },
  MARKUP_SYNTAX: {
    status: 500,
    zh: '模板生成的函件标记无效',
    en: 'a template produced invalid letter markup (an operator error)',
  },
  POLICY_INVALID: {
    status: 500,
    zh: '催收策略文件无效',
    en: 'the escalation policy file is invalid (an operator error)',
  },
  TEMPLATE_DRAFT: {
    status: 409,
    zh: '该模板是草稿：只能预览，经律师发布后才能出具',
    en: "the template is a draft of the organisation's own catalogue: it is previewed (marked 草稿模板 · DRAFT), never issued, until a lawyer of the organisation releases it",
  },
  TEMPLATE_RETIRED: {
    status: 409,
    zh: '该模板版本已停用',
    en: "the organisation's template version was retired: no new letters are issued with it",
  },
  TEMPLATE_NOT_DRAFT: {
    status: 409,
    zh: '只能发布草稿版本',
    en: 'only a draft version is released (this one is released or retired already)',
  },
  TEMPLATE_NOT_RELEASED: { status: 409, zh: '只能停用已发布的版本', en: 'only a released version is retired' },
  TEMPLATE_CHANGED: {
    status: 409,
    zh: '模板文件在加载后被修改，请重新加载并预览',
    en: "the version's files changed after they were loaded and linted: reload and preview again before releasing",
  },
  TEMPLATE_RELEASE_FORBIDDEN: {
    status: 403,
    zh: '只有本所律师（债权人的管理员）可以发布或停用模板',
    en: "only a lawyer of the owning firm (an admin, for a creditor's catalogue), with a key bound to that person, releases or retires its versions",
  },
  TEMPLATE_REF_FORMAT: {
    status: 422,
    zh: '模板引用格式应为 kind@version 或 firm:kind@version',
    en: 'a template reference looks like kind@version or firm:kind@version',
  },
  TEMPLATE_KIND_MISMATCH: {
    status: 422,
    zh: '比较的两个版本不是同一种函件',
    en: 'the two versions compared are not of the same kind',
  },
  TEMPLATE_LOCK_INVALID: {
    status: 500,
    zh: '机构模板锁定文件无法读取',
    en: "an organisation's template lock file cannot be read (an operator error)",
  },
  NOT_READY: { status: 503, zh: '字体与模板加载中', en: 'fonts and templates are still loading' },
  BATCH_NOT_FOUND: {
    status: 404,
    zh: '没有这个批次',
    en: "no batch with this id that the caller's organisation posted",
  },
  EVIDENCE_TOO_LARGE: {
    status: 413,
    zh: '证据包超过限制（每次最多 50 封函件、200 MB），请分批下载',
    en: 'the evidence package exceeds its bounds (50 letters, 200 MB per package): ask for fewer letters at a time',
  },
  BATCH_NOT_FINISHED: {
    status: 409,
    zh: '批次仍在处理中',
    en: 'the batch is still running: its archive is available once every row is settled',
  },
  BATCH_TOO_MANY_ROWS: {
    status: 413,
    zh: '批次行数超过上限',
    en: 'the batch has more rows than the limit (100,000 by default)',
  },
  BATCH_EMPTY: { status: 422, zh: '批次没有数据行', en: 'the batch body holds no rows' },
  BATCH_LINE_TOO_LONG: {
    status: 413,
    zh: '批次中的一行超过单封函件的大小限制',
    en: 'a failed row of a batch (GET /v1/batches/{id}/errors): the line is longer than the body limit of a single letter',
  },
  ATTEMPTS_EXHAUSTED: {
    status: 503,
    zh: '多次尝试均因暂时性故障失败',
    en: 'a failed row of a batch: it met passing failures (busy, timed out) on every attempt',
  },
  CALLBACK_URL_INVALID: {
    status: 422,
    zh: '回调地址无效',
    en: 'the callbackUrl is not https (in production), holds credentials, or points to a loopback or private address',
  },
  CALLBACK_NOT_CONFIGURED: {
    status: 422,
    zh: '服务未配置回调签名密钥',
    en: 'a callbackUrl was given but the service has no callback signing secret (HANJIAN_BATCH_CALLBACK_SECRET)',
  },
  QUEUE_FULL: {
    status: 503,
    zh: '渲染队列已满，请稍后重试',
    en: 'the render queue is full; retry after Retry-After seconds',
    retryAfter: 1,
  },
  TOO_MANY_CONNECTIONS: {
    status: 503,
    zh: '来自同一地址的连接过多，连接已关闭',
    en: 'too many open connections from one address (a sixteenth of maxConnections, at least 16); the connection is closed',
    retryAfter: 1,
  },
  RENDER_TIMEOUT: { status: 504, zh: '渲染超时', en: 'the render took longer than its limit', retryAfter: 5 },
  FILE_EMPTY: {
    status: 422,
    zh: '上传的表格为空，或没有表头或数据行',
    en: 'the uploaded spreadsheet is empty, or has no header or no data rows',
  },
  FILE_TOO_LARGE: {
    status: 422,
    zh: '上传的表格超过大小限制',
    en: 'the uploaded spreadsheet exceeds 5 MB (the workspace import; POST /v1/batches answers 413 BODY_TOO_LARGE past 16 MB)',
  },
  NOT_A_SPREADSHEET: {
    status: 422,
    zh: '上传的文件不是 XLSX 或 CSV 表格',
    en: 'the upload is a PDF, an image or another binary file, not an XLSX or CSV spreadsheet',
  },
  XLS_NOT_SUPPORTED: {
    status: 422,
    zh: '不支持旧版 .xls，请另存为 .xlsx',
    en: 'an old .xls workbook: save it as .xlsx',
  },
  XLSX_UNREADABLE: { status: 422, zh: '无法读取该 XLSX 文件', en: 'not a readable XLSX workbook' },
  XLSX_TOO_LARGE: {
    status: 422,
    zh: '该 XLSX 解压后过大',
    en: 'the workbook would inflate beyond 50 MB (200 MB for POST /v1/batches; declared sizes are checked before inflating)',
  },
  XLSX_TOO_COMPLEX: {
    status: 422,
    zh: '该 XLSX 压缩包条目过多',
    en: 'the workbook archive has more than 1,000 entries',
  },
  CSV_UNREADABLE: { status: 422, zh: 'CSV 有未闭合的引号', en: 'the CSV has an unclosed quote' },
  TOO_MANY_ROWS: {
    status: 422,
    zh: '表格行数超过上限',
    en: 'the spreadsheet has more than 5,000 data rows (the workspace import; for POST /v1/batches the batch row limit, 100,000 by default)',
  },
  TOO_MANY_COLUMNS: { status: 422, zh: '表格列数超过上限', en: 'the spreadsheet has more than 40 columns' },
  CELL_TOO_LONG: { status: 422, zh: '单元格内容过长', en: 'a CSV cell is far longer than any field allows' },
  DUPLICATE_COLUMN: {
    status: 422,
    zh: '表头中有重复的列',
    en: 'a column (or two of its aliases) appears twice in the header',
  },
  COLUMNS_UNDECIDED: {
    status: 422,
    zh: '表格中有看似金额的列未被识别：请用 columns 参数把它映射到字段或明确不导入',
    en: 'the sheet has amount-like columns that are not recognised: map each to a field or to "ignore" with the columns parameter; their names are in the detail',
  },
  COLUMNS_MISSING: {
    status: 422,
    zh: '表头缺少必填列',
    en: 'required columns are missing from the header; their names are in the detail',
  },
  // Raised at start-up or by the command line only.
  CONFIG_INVALID: {
    status: 500,
    zh: '配置无效（启动时报告，指明配置项）',
    en: 'the configuration is invalid (reported at start, naming the setting)',
    local: true,
  },
  SEALS_INVALID: { status: 500, zh: '印章配置文件无效', en: 'the seals file is invalid', local: true },
  SEAL_NOT_PNG: {
    status: 500,
    zh: '印章配置中的文件不是 PNG',
    en: 'a file in the seals file is not a PNG',
    local: true,
  },
  INPUT_UNREADABLE: { status: 422, zh: '输入文件无法读取', en: 'an input file cannot be read', local: true },
  NOT_UTF8: { status: 422, zh: '输入文件不是 UTF-8 编码', en: 'an input file is not UTF-8', local: true },
  SPREADSHEET_NOT_JSONL: {
    status: 422,
    zh: '输入文件是 Excel 表格，不是 JSON Lines',
    en: 'the input file is an Excel workbook, not JSON Lines',
    local: true,
  },
  LINE_TOO_LONG: { status: 413, zh: '输入中的一行过长', en: 'a line of the input is too long', local: true },
  REGISTRY_NOT_FOUND: { status: 404, zh: '此处没有登记簿', en: 'no registry where it was looked for', local: true },
  OUTPUT_UNWRITABLE: { status: 500, zh: '无法写入输出文件', en: 'the output cannot be written', local: true },
  LISTEN_FAILED: { status: 500, zh: '无法监听该端口', en: 'the port cannot be listened on', local: true },
  TEMPLATE_DIR_MISSING: { status: 500, zh: '模板目录不存在', en: 'the template folder does not exist', local: true },
  LAYOUT_LOOSE_LINE: { status: 422, zh: '有一行排版过松', en: 'a line is set too loosely', local: true },
  CALENDAR_YEAR_MISSING: { status: 422, zh: '该年份没有节假日数据', en: 'no holiday data for that year', local: true },
} satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

const CATALOGUE: Record<string, CatalogueEntry> = ERROR_CATALOGUE;

/** The catalogue's entry for a code; an unknown code is an internal error (a test keeps every raised code listed). */
export function catalogueEntry(code: string): CatalogueEntry {
  return CATALOGUE[code] ?? CATALOGUE.INTERNAL!;
}

/** The HTTP status a code is answered with. */
export function statusOf(code: string): number {
  return catalogueEntry(code).status;
}
