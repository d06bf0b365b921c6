/**
 * Orders strings by their UTF-16 code units, as `<` does. For the strings it is used on, ISO
 * dates (YYYY-MM-DD) and template ids (kind@version: lower-case letters and hyphens, then
 * digits), that is the order localeCompare gives (test/shared/order.test.ts), without the
 * first localeCompare loading ICU's locales and collation data: ~15 ms of a cold preview
 * (issue 31). Not for text in general, which localeCompare orders by language.
 */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
