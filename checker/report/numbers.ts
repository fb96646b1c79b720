// Numbers as reports print them.

export function num(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function rate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}
