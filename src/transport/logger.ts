/** Where the transport reports transitions and bad input; the extension prefixes and routes it. */
export interface Logger {
    info(message: string): void;
    warn(message: string): void;
}
