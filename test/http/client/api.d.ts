export interface paths {
    "/v1/previews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Draft PDF, every page marked 预览 · 草稿
         * @description Renders the letter as a draft with a placeholder number; nothing is stored or numbered.
         */
        post: operations["previewLetter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Validate a letter: the summary, or every issue
         * @description Runs validation, the template and the compliance guard without drawing the PDF.
         */
        post: operations["validateLetter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/recommendations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Which letter an account should get today, and why
         * @description Applies the escalation policy to the account, the debt and the history. A whole letter input is accepted too.
         */
        post: operations["recommendLetter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every template version */
        get: operations["listTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{kind}/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One template version: manifest, input JSON Schema, example */
        get: operations["getTemplate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue a letter: number, record and PDF, in one transaction
         * @description Needs the scope issue:<kind> for the kind in the body. The registry assigns the number, so `letterNo` is refused. The same Idempotency-Key with the same data returns the same letter (200); with other data, 409.
         */
        post: operations["issueLetter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/letters/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The record of an issued letter */
        get: operations["getLetter"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/letters/{id}/pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The issued PDF, checked against its recorded sha256 */
        get: operations["getLetterPdf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Public: is this letter genuine?
         * @description JSON for programs; a page in Chinese for a browser (the QR code on the letter), chosen by Accept. Rate-limited per address.
         */
        get: operations["verifyLetter"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: fonts and templates loaded, workers warm */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Creditor: {
            name: string;
            creditCode: string;
            address: string;
            phone: string;
            paymentChannels: ({
                /** @constant */
                type: "bank";
                bank: string;
                accountName: string;
                accountNo: string;
            } | {
                /** @constant */
                type: "online";
                description: string;
            })[];
            letterPrefix?: string;
        };
        Debtor: {
            name: string;
            idNumber: string;
            phone?: string;
            address?: string;
        };
        Account: {
            product: string;
            contractNo: string;
            contractDate: components["schemas"]["CalendarDate"];
            dueDate: components["schemas"]["CalendarDate"];
            annualRate?: components["schemas"]["Rate"];
            overdueDailyRate?: components["schemas"]["Rate"];
            /**
             * @default licensed
             * @enum {string}
             */
            lenderType: "licensed" | "private";
        };
        Debt: {
            principal: components["schemas"]["MoneyInput"];
            interest?: components["schemas"]["MoneyInput"];
            overdueInterest?: components["schemas"]["MoneyInput"];
            penalty?: components["schemas"]["MoneyInput"];
            fees?: components["schemas"]["MoneyInput"];
            paid?: components["schemas"]["MoneyInput"];
            total?: components["schemas"]["MoneyInput"];
        };
        LawFirm: {
            name: string;
            licenseNo: string;
            address: string;
            phone: string;
            letterPrefix: string;
        };
        Lawyer: {
            name: string;
            licenseNo: string;
            phone?: string;
        };
        Relief: {
            installments?: number[];
            hardshipPhone?: string;
            note?: string;
        };
        History: {
            /** @default 0 */
            overdueCount12m: number;
            /** @default false */
            autoDebitFailed: boolean;
            /** @default false */
            hardshipPending: boolean;
            /** @default false */
            planActive: boolean;
            /** @default true */
            planCurrent: boolean;
            lettersSent?: {
                /** @enum {string} */
                kind: "reminder" | "demand" | "lawyer-letter";
                date: components["schemas"]["CalendarDate"];
            }[];
        };
        /** @description Amount in yuan: a decimal string with at most two decimals ("12000.00") or a JSON number with at most two decimals; 0 … 1,000,000,000.00 */
        MoneyInput: string | number;
        /** @description Rate as a decimal fraction ("0.18" = 18 %), at most 8 decimals, ≤ 1 */
        Rate: string | number;
        /**
         * Format: date
         * @description Calendar date YYYY-MM-DD (Asia/Shanghai)
         */
        CalendarDate: string;
        ReminderInput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "reminder";
            template?: string;
            issueDate?: components["schemas"]["CalendarDate"];
            asOf?: components["schemas"]["CalendarDate"];
            letterNo?: string;
            creditor: components["schemas"]["Creditor"];
            debtor: components["schemas"]["Debtor"];
            account: components["schemas"]["Account"];
            debt: components["schemas"]["Debt"];
            demand?: {
                days: number;
            };
            relief?: components["schemas"]["Relief"];
            history?: components["schemas"]["History"];
        };
        DemandInput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "demand";
            template?: string;
            issueDate?: components["schemas"]["CalendarDate"];
            asOf?: components["schemas"]["CalendarDate"];
            letterNo?: string;
            creditor: components["schemas"]["Creditor"];
            debtor: components["schemas"]["Debtor"];
            account: components["schemas"]["Account"];
            debt: components["schemas"]["Debt"];
            demand: {
                days: number;
            };
            relief?: components["schemas"]["Relief"];
            history?: components["schemas"]["History"];
        };
        LawyerLetterInput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "lawyer-letter";
            template?: string;
            issueDate?: components["schemas"]["CalendarDate"];
            asOf?: components["schemas"]["CalendarDate"];
            letterNo?: string;
            creditor: components["schemas"]["Creditor"];
            debtor: components["schemas"]["Debtor"];
            account: components["schemas"]["Account"];
            debt: components["schemas"]["Debt"];
            demand: {
                days: number;
            };
            lawFirm: components["schemas"]["LawFirm"];
            lawyers: components["schemas"]["Lawyer"][];
            relief?: components["schemas"]["Relief"];
            history?: components["schemas"]["History"];
        };
        ReminderIssueInput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "reminder";
            template?: string;
            issueDate?: components["schemas"]["CalendarDate"];
            asOf?: components["schemas"]["CalendarDate"];
            creditor: components["schemas"]["Creditor"];
            debtor: components["schemas"]["Debtor"];
            account: components["schemas"]["Account"];
            debt: components["schemas"]["Debt"];
            demand?: {
                days: number;
            };
            relief?: components["schemas"]["Relief"];
            history?: components["schemas"]["History"];
        };
        DemandIssueInput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "demand";
            template?: string;
            issueDate?: components["schemas"]["CalendarDate"];
            asOf?: components["schemas"]["CalendarDate"];
            creditor: components["schemas"]["Creditor"];
            debtor: components["schemas"]["Debtor"];
            account: components["schemas"]["Account"];
            debt: components["schemas"]["Debt"];
            demand: {
                days: number;
            };
            relief?: components["schemas"]["Relief"];
            history?: components["schemas"]["History"];
        };
        LawyerLetterIssueInput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "lawyer-letter";
            template?: string;
            issueDate?: components["schemas"]["CalendarDate"];
            asOf?: components["schemas"]["CalendarDate"];
            creditor: components["schemas"]["Creditor"];
            debtor: components["schemas"]["Debtor"];
            account: components["schemas"]["Account"];
            debt: components["schemas"]["Debt"];
            demand: {
                days: number;
            };
            lawFirm: components["schemas"]["LawFirm"];
            lawyers: components["schemas"]["Lawyer"][];
            relief?: components["schemas"]["Relief"];
            history?: components["schemas"]["History"];
        };
        LetterInput: components["schemas"]["ReminderInput"] | components["schemas"]["DemandInput"] | components["schemas"]["LawyerLetterInput"];
        LetterIssueInput: components["schemas"]["ReminderIssueInput"] | components["schemas"]["DemandIssueInput"] | components["schemas"]["LawyerLetterIssueInput"];
        RecommendationInput: {
            account: components["schemas"]["Account"];
            debt: components["schemas"]["Debt"];
            history?: components["schemas"]["History"];
            asOf?: components["schemas"]["CalendarDate"];
            issueDate?: components["schemas"]["CalendarDate"];
        } & {
            [key: string]: unknown;
        };
        ValidationSummary: {
            /** @constant */
            ok: true;
            /** @enum {string} */
            kind: "reminder" | "demand" | "lawyer-letter";
            /** @description the template version the letter resolves to, kind@version */
            template: string;
            debtor: string;
            total: components["schemas"]["Yuan"];
            /** @description The same amount in integer fen (1 yuan = 100 fen) */
            totalFen: number;
            /** @description pay-by date (demand and lawyer-letter), rest days skipped */
            deadline: string | null;
            letterNo: string | null;
            warnings: components["schemas"]["Warning"][];
        };
        Recommendation: {
            /** @description the letter to send today, or null for none */
            kind: ("reminder" | "demand" | "lawyer-letter") | null;
            reasons: string[];
            /**
             * Format: date
             * @description YYYY-MM-DD (Asia/Shanghai)
             */
            earliestDate?: string;
            next?: {
                /** @enum {string} */
                kind: "reminder" | "demand" | "lawyer-letter";
                /**
                 * Format: date
                 * @description YYYY-MM-DD (Asia/Shanghai)
                 */
                earliestDate: string;
            };
            overdueDays: number;
            total: components["schemas"]["Yuan"];
            /** @description The same amount in integer fen (1 yuan = 100 fen) */
            totalFen: number;
            highRisk: boolean;
        };
        TemplateSummary: {
            /** @enum {string} */
            kind: "reminder" | "demand" | "lawyer-letter";
            version: number;
            title: string;
            /** @default  */
            description: string;
            effectiveFrom: string;
            /** @enum {string} */
            status: "active" | "retired";
            /** @enum {string} */
            sender: "creditor" | "lawFirm";
            /** @description kind@version */
            id: string;
        };
        TemplateDetails: {
            manifest: {
                /** @enum {string} */
                kind: "reminder" | "demand" | "lawyer-letter";
                version: number;
                title: string;
                /** @default  */
                description: string;
                effectiveFrom: string;
                /** @enum {string} */
                status: "active" | "retired";
                /** @enum {string} */
                sender: "creditor" | "lawFirm";
                /**
                 * @default {
                 *       "size": "A4",
                 *       "marginsMm": {
                 *         "top": 37,
                 *         "right": 26,
                 *         "bottom": 35,
                 *         "left": 28
                 *       },
                 *       "bodySize": 16,
                 *       "linePitch": 28.95,
                 *       "titleSize": 22,
                 *       "letterheadSize": 18,
                 *       "smallSize": 10.5
                 *     }
                 */
                style: {
                    /**
                     * @default A4
                     * @constant
                     */
                    size: "A4";
                    /**
                     * @default {
                     *       "top": 37,
                     *       "right": 26,
                     *       "bottom": 35,
                     *       "left": 28
                     *     }
                     */
                    marginsMm: {
                        top: number;
                        right: number;
                        bottom: number;
                        left: number;
                    };
                    /** @default 16 */
                    bodySize: number;
                    /** @default 28.95 */
                    linePitch: number;
                    /** @default 22 */
                    titleSize: number;
                    /** @default 18 */
                    letterheadSize: number;
                    /** @default 10.5 */
                    smallSize: number;
                };
            };
            /** @description the letter input as JSON Schema (draft 2020-12) */
            schema: {
                [key: string]: unknown;
            };
            /** @description a complete input that renders with this version */
            example: components["schemas"]["LetterInput"];
        };
        IssuedLetter: {
            id: string;
            /** @example （2026）京某律函字第0001号 */
            number: string;
            /** @enum {string} */
            kind: "reminder" | "demand" | "lawyer-letter";
            template: string;
            sender: string;
            /**
             * Format: date
             * @description YYYY-MM-DD (Asia/Shanghai)
             */
            issueDate: string;
            /** @description masked name, e.g. 张* */
            debtor: string;
            total: components["schemas"]["Yuan"];
            /** @description The same amount in integer fen (1 yuan = 100 fen) */
            totalFen: number;
            /** @description sha256, hex */
            inputSha256: string;
            /** @description sha256, hex */
            pdfSha256: string;
            pdfSize: number;
            /** @example PCQZ-GZ26 */
            verifyCode: string;
            verifyUrl: string;
            /** @description the API key id that issued it */
            requester: string;
            /** Format: date-time */
            createdAt: string;
            /** @description true when this answers a retry with the same Idempotency-Key */
            replayed: boolean;
            /** @description path of the stored PDF: GET it with the read scope */
            pdf: string;
        };
        Verification: {
            /** @constant */
            valid: true;
            /** @enum {string} */
            kind: "reminder" | "demand" | "lawyer-letter";
            sender: string;
            /**
             * Format: date
             * @description YYYY-MM-DD (Asia/Shanghai)
             */
            issueDate: string;
            debtor: string;
            total: components["schemas"]["Yuan"];
            /** @description sha256, hex */
            pdfSha256: string;
        } | {
            /** @constant */
            valid: false;
        };
        Health: {
            /** @constant */
            ok: true;
        };
        Readiness: {
            /** @constant */
            ok: true;
            templates: number;
            workers: number;
        };
        Problem: {
            /** @description https://hanjian.dev/problems/<code in kebab case> */
            type: string;
            title: string;
            status: number;
            /**
             * @description Stable codes (more may be added):
             *     - JSON_MALFORMED (400): the body is not valid JSON
             *     - BAD_REQUEST (400): the request is malformed
             *     - UNAUTHENTICATED (401): no API key, or an unknown one
             *     - FORBIDDEN (403): the key lacks the scope the operation needs
             *     - NOT_FOUND (404): no such route
             *     - TEMPLATE_NOT_FOUND (404): no such template version, or none in effect on the issue date
             *     - LETTER_NOT_FOUND (404): no issued letter with this id
             *     - METHOD_NOT_ALLOWED (405): the route exists but not for this method (see the Allow header)
             *     - IDEMPOTENCY_CONFLICT (409): the Idempotency-Key was used for other data or by another key
             *     - BODY_TOO_LARGE (413): the body exceeds the limit
             *     - UNSUPPORTED_MEDIA_TYPE (415): the body is not application/json
             *     - INVALID_INPUT (422): the letter data has problems: every one is listed in issues, with its path
             *     - COMPLIANCE (422): the compliance guard refused the letter: the findings are in issues
             *     - GLYPH_MISSING (422): a character has no glyph in the embedded fonts; the field is named
             *     - LETTER_NO_REQUIRED (422): a final lawyer's letter needs a number (over HTTP the registry or the preview supplies it)
             *     - LETTER_NO_NOT_ALLOWED (422): letterNo was sent to POST /v1/letters: the registry assigns the number
             *     - IDEMPOTENCY_KEY_REQUIRED (422): POST /v1/letters needs an Idempotency-Key header
             *     - IDEMPOTENCY_KEY_INVALID (422): the Idempotency-Key must be 1–200 characters
             *     - VERIFY_QUERY (422): verification needs both the number and code query parameters
             *     - RATE_LIMITED (429): too many requests for this key or address (see Retry-After)
             *     - INTERNAL (500): an internal error; the detail never shows internals
             *     - STORED_PDF_MISSING (500): the stored PDF of an issued letter is missing
             *     - STORED_PDF_CORRUPT (500): the stored PDF does not match its recorded sha256; it is never served
             *     - TEMPLATE_SYNTAX (500): a template failed to compile (an operator error)
             *     - TEMPLATE_RUNTIME (500): a template failed while rendering (an operator error)
             *     - TEMPLATE_FIELD_MISSING (500): a template references a field that does not exist (an operator error)
             *     - TEMPLATE_MANIFEST (500): a template manifest is invalid (an operator error)
             *     - MARKUP_SYNTAX (500): a template produced invalid letter markup (an operator error)
             *     - POLICY_INVALID (500): the escalation policy file is invalid (an operator error)
             *     - NOT_READY (503): fonts and templates are still loading
             *     - QUEUE_FULL (503): the render queue is full; retry after Retry-After seconds
             *     - RENDER_TIMEOUT (504): the render took longer than its limit
             * @enum {string}
             */
            code: "JSON_MALFORMED" | "BAD_REQUEST" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "TEMPLATE_NOT_FOUND" | "LETTER_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "IDEMPOTENCY_CONFLICT" | "BODY_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "INVALID_INPUT" | "COMPLIANCE" | "GLYPH_MISSING" | "LETTER_NO_REQUIRED" | "LETTER_NO_NOT_ALLOWED" | "IDEMPOTENCY_KEY_REQUIRED" | "IDEMPOTENCY_KEY_INVALID" | "VERIFY_QUERY" | "RATE_LIMITED" | "INTERNAL" | "STORED_PDF_MISSING" | "STORED_PDF_CORRUPT" | "TEMPLATE_SYNTAX" | "TEMPLATE_RUNTIME" | "TEMPLATE_FIELD_MISSING" | "TEMPLATE_MANIFEST" | "MARKUP_SYNTAX" | "POLICY_INVALID" | "NOT_READY" | "QUEUE_FULL" | "RENDER_TIMEOUT";
            /** @description 中文 / English */
            detail: string;
            requestId?: string;
            issues?: {
                /** @description dotted path into the input, e.g. debtor.idNumber; empty for the whole input */
                path: string;
                /** @description stable, e.g. REQUIRED, MONEY_FORMAT, ID_CHECKSUM, UNKNOWN_FIELD */
                code: string;
                /** @description path: 中文 / English */
                message: string;
            }[];
        } & {
            [key: string]: unknown;
        };
        /**
         * @description Amount in yuan, a decimal string with two decimals, e.g. "12426.00"
         * @example 12426.00
         */
        Yuan: string;
        Warning: {
            code: string;
            /** @description 中文 / English */
            message: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    previewLetter: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LetterInput"];
            };
        };
        responses: {
            /** @description The draft PDF */
            200: {
                headers: {
                    /** @description sha256 of the PDF bytes */
                    "X-Letter-Sha256"?: string;
                    /** @description the template version used, kind@version */
                    "X-Template"?: string;
                    /** @description warning codes, comma-separated (messages: POST /v1/validate) */
                    "X-Warnings"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
            /** @description Malformed request. Codes: JSON_MALFORMED, BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown API key. Codes: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks the scope. Codes: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. Codes: NOT_FOUND, TEMPLATE_NOT_FOUND, LETTER_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over the limit. Codes: BODY_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not application/json. Codes: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid data, or refused. Codes: INVALID_INPUT, COMPLIANCE, GLYPH_MISSING, LETTER_NO_REQUIRED, LETTER_NO_NOT_ALLOWED, IDEMPOTENCY_KEY_REQUIRED, IDEMPOTENCY_KEY_INVALID, VERIFY_QUERY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited. Codes: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Busy or not ready. Codes: NOT_READY, QUEUE_FULL */
            503: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Render over its time limit. Codes: RENDER_TIMEOUT */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    validateLetter: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LetterInput"];
            };
        };
        responses: {
            /** @description The letter is valid */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationSummary"];
                };
            };
            /** @description Malformed request. Codes: JSON_MALFORMED, BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown API key. Codes: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks the scope. Codes: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. Codes: NOT_FOUND, TEMPLATE_NOT_FOUND, LETTER_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over the limit. Codes: BODY_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not application/json. Codes: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid data, or refused. Codes: INVALID_INPUT, COMPLIANCE, GLYPH_MISSING, LETTER_NO_REQUIRED, LETTER_NO_NOT_ALLOWED, IDEMPOTENCY_KEY_REQUIRED, IDEMPOTENCY_KEY_INVALID, VERIFY_QUERY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited. Codes: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    recommendLetter: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecommendationInput"];
            };
        };
        responses: {
            /** @description The recommendation */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Recommendation"];
                };
            };
            /** @description Malformed request. Codes: JSON_MALFORMED, BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown API key. Codes: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks the scope. Codes: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over the limit. Codes: BODY_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not application/json. Codes: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid data, or refused. Codes: INVALID_INPUT, COMPLIANCE, GLYPH_MISSING, LETTER_NO_REQUIRED, LETTER_NO_NOT_ALLOWED, IDEMPOTENCY_KEY_REQUIRED, IDEMPOTENCY_KEY_INVALID, VERIFY_QUERY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited. Codes: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The template versions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateSummary"][];
                };
            };
            /** @description Missing or unknown API key. Codes: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks the scope. Codes: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited. Codes: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the kind of letter */
                kind: "reminder" | "demand" | "lawyer-letter";
                /** @description the version number */
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The template version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateDetails"];
                };
            };
            /** @description Missing or unknown API key. Codes: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks the scope. Codes: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. Codes: NOT_FOUND, TEMPLATE_NOT_FOUND, LETTER_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited. Codes: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    issueLetter: {
        parameters: {
            query?: never;
            header: {
                /** @description makes retries safe; 1–200 characters */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LetterIssueInput"];
            };
        };
        responses: {
            /** @description The same letter again (a retry with the same Idempotency-Key) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedLetter"];
                };
            };
            /** @description Issued */
            201: {
                headers: {
                    /** @description the letter: /v1/letters/{id} */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedLetter"];
                };
            };
            /** @description Malformed request. Codes: JSON_MALFORMED, BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or unknown API key. Codes: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks the scope. Codes: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. Codes: NOT_FOUND, TEMPLATE_NOT_FOUND, LETTER_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency conflict. Codes: IDEMPOTENCY_CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body over the limit. Codes: BODY_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not application/json. Codes: UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid data, or refused. Codes: INVALID_INPUT, COMPLIANCE, GLYPH_MISSING, LETTER_NO_REQUIRED, LETTER_NO_NOT_ALLOWED, IDEMPOTENCY_KEY_REQUIRED, IDEMPOTENCY_KEY_INVALID, VERIFY_QUERY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited. Codes: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Busy or not ready. Codes: NOT_READY, QUEUE_FULL */
            503: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Render over its time limit. Codes: RENDER_TIMEOUT */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLetter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the letter id returned when it was issued */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedLetter"];
                };
            };
            /** @description Missing or unknown API key. Codes: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks the scope. Codes: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. Codes: NOT_FOUND, TEMPLATE_NOT_FOUND, LETTER_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited. Codes: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLetterPdf: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the letter id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The issued PDF */
            200: {
                headers: {
                    /** @description sha256 of the PDF bytes */
                    "X-Letter-Sha256"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
            /** @description Missing or unknown API key. Codes: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks the scope. Codes: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found. Codes: NOT_FOUND, TEMPLATE_NOT_FOUND, LETTER_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited. Codes: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifyLetter: {
        parameters: {
            query: {
                /** @description the letter number as printed */
                number: string;
                /** @description the verification code as printed (case and hyphen do not matter) */
                code: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether a letter with this number and code was issued here, and its public facts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Verification"];
                    "text/html": string;
                };
            };
            /** @description Invalid data, or refused. Codes: INVALID_INPUT, COMPLIANCE, GLYPH_MISSING, LETTER_NO_REQUIRED, LETTER_NO_NOT_ALLOWED, IDEMPOTENCY_KEY_REQUIRED, IDEMPOTENCY_KEY_INVALID, VERIFY_QUERY */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rate limited. Codes: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Busy or not ready. Codes: NOT_READY, QUEUE_FULL */
            503: {
                headers: {
                    /** @description seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format 0.0.4 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Request headers too large */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error (no internals shown). Codes: INTERNAL, STORED_PDF_MISSING, STORED_PDF_CORRUPT, TEMPLATE_SYNTAX, TEMPLATE_RUNTIME, TEMPLATE_FIELD_MISSING, TEMPLATE_MANIFEST, MARKUP_SYNTAX, POLICY_INVALID */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
