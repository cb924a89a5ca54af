/** Placeholder: this area's tables are added by the work on issue 4/5 (see the file's later history). */
export {};
