// Types for the part of asciichart 1.5 the CLI uses (the package ships none).
declare module 'asciichart' {
  interface PlotConfig {
    height?: number;
    offset?: number;
    padding?: string;
    colors?: string[];
    min?: number;
    max?: number;
    format?: (value: number, index: number) => string;
  }
  const asciichart: {
    plot(series: number[] | number[][], config?: PlotConfig): string;
    blue: string;
    yellow: string;
    default: string;
  };
  export default asciichart;
}
