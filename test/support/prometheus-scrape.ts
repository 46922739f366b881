// Reads a /metrics answer the way Prometheus does: the exposition text parsed by a real parser
// (prom2javascript), then looked up by metric name and labels.
import { Readable } from 'node:stream';
import { getMetricsFromStream, type PromData, type PromHistogramData, type PromMetrics } from 'prom2javascript';

type Sample = { labels: Record<string, string> } & Partial<PromData> & Partial<PromHistogramData>;

export class Scrape {
  private constructor(readonly families: PromMetrics) {}

  static async parse(text: string): Promise<Scrape> {
    return new Scrape(await getMetricsFromStream(Readable.from([text])));
  }

  /** The metric's type as the exposition declares it (counter, gauge, histogram, …). */
  type(name: string): string {
    return this.family(name).type;
  }

  /** The samples of a metric whose labels include `labels`. */
  samples(name: string, labels: Record<string, string> = {}): Sample[] {
    return (this.family(name).data as Sample[]).filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  }

  /** A counter's or gauge's value summed over the samples matching `labels` (0 when none). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.samples(name, labels).reduce((total, sample) => total + (sample.value ?? Number.NaN), 0);
  }

  /** A histogram's observation count summed over the samples matching `labels`. */
  count(name: string, labels: Record<string, string> = {}): number {
    return this.samples(name, labels).reduce((total, sample) => total + (sample.count ?? Number.NaN), 0);
  }

  /** Every label value of every sample, for checks on what labels carry. */
  labelValues(): string[] {
    return Object.values(this.families).flatMap((family) => (family.data as Sample[]).flatMap((sample) => Object.values(sample.labels)));
  }

  private family(name: string) {
    const family = this.families[name];
    if (!family) throw new Error(`no metric ${name} in the scrape`);
    return family;
  }
}
