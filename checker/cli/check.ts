export async function main(argv: string[]): Promise<number> { console.log('check', argv); return 0; }
