/** Types of packed-app.mjs, for the TypeScript test that imports it. */
export declare const PACKAGES: readonly string[];
export declare const SERVER_PACKAGE: string;
export declare function preparePackedApp(repo: string, work: string): { app: string; tarballs: string };
export declare function installPackedApp(app: string, options: { offline: boolean }): void;
