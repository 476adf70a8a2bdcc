/** Where the built image goes: loaded into the engine, pushed by buildx itself, or nowhere. */
export type BuildOutput = 'load' | 'push' | 'none';
