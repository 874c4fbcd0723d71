// What a verb prints: JSON for machines with --json, text for people otherwise.

export interface Output {
  json: boolean;
  out: (line: string) => void;
  err: (line: string) => void;
}

export function print(output: Output, data: unknown, text: () => string): void {
  output.out(output.json ? JSON.stringify(data) : text());
}
