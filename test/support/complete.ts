/**
 * Every optional field required, all the way down. A fixture typed `Complete<T>` must set every
 * field T has, so a field added to a schema must be added to its round-trip fixture too.
 */
export type Complete<T> = T extends readonly (infer U)[] ? Complete<U>[] : T extends object ? { [K in keyof T]-?: Complete<Exclude<T[K], undefined>> } : T;
