import type { FieldDraft } from '../../../shared/contract/databases';
import type { SubscriptionStatus } from '../../../shared/domain/profiles';
import { SeededRandom } from './random';

/** One generated customer. Dates are ISO text, as the app stores them. */
export interface DemoProfile {
  readonly profileId: string;
  readonly email: string;
  readonly gender: 'female' | 'male' | null;
  readonly birthDate: string;
  readonly city: string;
  readonly registeredAt: string;
  readonly lastPurchase: string | null;
  readonly purchases: number;
  readonly revenue: number;
  readonly subscription: SubscriptionStatus;
}

export const DEMO_CITIES: readonly (readonly [string, number])[] = [
  ['Moscow', 22], ['Saint Petersburg', 12], ['Novosibirsk', 5], ['Yekaterinburg', 5], ['Kazan', 4],
  ['Nizhny Novgorod', 4], ['Chelyabinsk', 3], ['Samara', 3], ['Omsk', 3], ['Rostov-on-Don', 3],
  ['Ufa', 3], ['Krasnoyarsk', 3], ['Voronezh', 3], ['Perm', 3], ['Volgograd', 3], ['Krasnodar', 3],
  ['Tyumen', 2], ['Irkutsk', 2], ['Vladivostok', 2], ['Kaliningrad', 2], ['Tomsk', 2], ['Yaroslavl', 2],
];

/** The demo database's fields (the profile ID and subscription status are system fields). */
export const DEMO_FIELDS: readonly FieldDraft[] = [
  { name: 'email', type: 'string' },
  { name: 'gender', type: 'enum', enumValues: ['female', 'male'] },
  { name: 'birth_date', type: 'date' },
  { name: 'city', type: 'enum', enumValues: DEMO_CITIES.map(([c]) => c) },
  { name: 'registered_at', type: 'datetime' },
  { name: 'last_purchase', type: 'date' },
  { name: 'purchases', type: 'number' },
  { name: 'revenue', type: 'number' },
];

/** First names by gender; a profile without a gender takes one from either list, and the surname follows the name. */
export const DEMO_FIRST_NAMES: Readonly<Record<'female' | 'male', readonly string[]>> = {
  female: ['anna', 'maria', 'elena', 'olga', 'irina', 'natalia', 'svetlana', 'ekaterina', 'tatiana', 'yulia', 'daria', 'anastasia'],
  male: ['alexei', 'dmitry', 'sergei', 'andrei', 'ivan', 'pavel', 'nikolai', 'mikhail', 'artem', 'maxim', 'vladimir', 'roman'],
};
const ANY_FIRST_NAME: readonly (readonly [string, 'female' | 'male'])[] = [
  ...DEMO_FIRST_NAMES.female.map((name) => [name, 'female'] as const),
  ...DEMO_FIRST_NAMES.male.map((name) => [name, 'male'] as const),
];
/** Surnames in their masculine form; `surnameFor` gives the feminine one. */
export const DEMO_SURNAMES: readonly string[] = [
  'ivanov', 'smirnov', 'kuznetsov', 'popov', 'vasiliev', 'petrov', 'sokolov', 'mikhailov', 'novikov', 'fedorov', 'morozov', 'volkov',
  'alexeev', 'lebedev', 'semenov', 'egorov', 'pavlov', 'kozlov', 'nikitin', 'ilyin', 'zhukovsky', 'ostrovsky', 'tolstoy', 'chernykh',
];

/** Masculine endings of Russian surnames (transliterated) and their feminine forms, tried in order. */
const FEMININE_ENDINGS: readonly (readonly [RegExp, string])[] = [
  [/(ov|ev|in|yn)$/, '$1a'], // Ivanov / Ivanova, Nikitin / Nikitina
  [/k(y|iy)$/, 'kaya'], // Zhukovsky / Zhukovskaya (-ский / -ская)
  [/oy$/, 'aya'], // Tolstoy / Tolstaya (-ой / -ая)
];

/**
 * A surname in the form of the gender: the feminine form for women, the dictionary
 * (masculine) form for men. Surnames that do not change (Chernykh) stay as they are.
 */
export function surnameFor(masculine: string, gender: 'female' | 'male'): string {
  if (gender !== 'female') return masculine;
  const ending = FEMININE_ENDINGS.find(([pattern]) => pattern.test(masculine));
  return ending ? masculine.replace(ending[0], ending[1]) : masculine;
}
const DOMAINS: readonly (readonly [string, number])[] = [['example.com', 5], ['example.org', 3], ['example.net', 2]];

const DAY = 86_400_000;

/** "00".."59": two-digit parts of dates and times without a call per part. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/**
 * ISO dates by day number (days since 1970-01-01, negative before), formatted once per
 * day: a million profiles touch only some tens of thousands of different days, and
 * formatting through Date objects was most of the generator's time. An array indexed from
 * a base day is several times faster than a Map here.
 */
export class IsoDays {
  private readonly cache: (string | undefined)[] = [];

  constructor(private readonly base: number) {}

  date(day: number): string {
    const index = day - this.base;
    let text = this.cache[index];
    if (text === undefined) {
      const d = new Date(day * DAY);
      text = `${d.getUTCFullYear()}-${TWO_DIGITS[d.getUTCMonth() + 1]}-${TWO_DIGITS[d.getUTCDate()]}`;
      if (index >= 0 && index < 100_000) this.cache[index] = text;
    }
    return text;
  }

  /** "2024-03-08T14:05:09" for a time in milliseconds since the epoch (whole seconds). */
  dateTime(t: number): string {
    const day = Math.floor(t / DAY);
    const seconds = Math.floor((t - day * DAY) / 1000);
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    return `${this.date(day)}T${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[seconds % 60]}`;
  }
}

/** Weighted choices with their total summed once (in the order `SeededRandom.pick` sums them, so picks are the same). */
interface Weighted<T> {
  readonly items: readonly T[];
  readonly weights: readonly number[];
  readonly total: number;
}

function weighted<T>(pairs: readonly (readonly [T, number])[]): Weighted<T> {
  return { items: pairs.map(([item]) => item), weights: pairs.map(([, w]) => w), total: pairs.reduce((sum, [, w]) => sum + w, 0) };
}

/** Same result as `random.pick(pairs)`, without re-summing the weights each time. */
function pickWeighted<T>(random: SeededRandom, choice: Weighted<T>): T {
  let r = random.next() * choice.total;
  const { items, weights } = choice;
  for (let i = 0; i < items.length; i += 1) {
    r -= weights[i]!;
    if (r < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

const CITY_CHOICE = weighted(DEMO_CITIES);
const DOMAIN_CHOICE = weighted(DOMAINS);

export interface GeneratorOptions {
  readonly count: number;
  readonly seed: string;
  /** The "today" of the audience (a project clock date, "2026-01-05"); dates fall before it. */
  readonly today: string;
}

/**
 * A believable audience, the same for the same seed and day: more women than men, ages
 * around 38, big cities more common, recent registrations more common, a third never
 * bought, long-time customers buy more often, revenue grows with purchases and a little
 * with age, fresh sign-ups are often unconfirmed and old ones more often unsubscribed.
 */
export function* generateProfiles(options: GeneratorOptions): Generator<DemoProfile> {
  const random = new SeededRandom(options.seed);
  const today = Date.parse(`${options.today}T00:00:00Z`);
  if (!Number.isFinite(today)) throw new Error(`"${options.today}" is not a date`);
  const width = Math.max(7, String(options.count).length);
  // Every date falls within 90 years before today (ages are capped at 85).
  const days = new IsoDays(Math.floor(today / DAY) - 90 * 366);
  for (let i = 1; i <= options.count; i += 1) {
    const genderRoll = random.next();
    const gender = genderRoll < 0.53 ? 'female' : genderRoll < 0.98 ? 'male' : null;
    const age = Math.min(85, Math.max(18, random.normal(38, 12)));
    const birth = today - Math.floor(age * 365.25 * DAY) - random.int(0, 364) * DAY;
    const tenureDays = Math.floor(6 * 365 * random.next() ** 1.6);
    const registered = today - tenureDays * DAY - random.int(0, DAY / 1000 - 1) * 1000;
    const tenureYears = tenureDays / 365;
    const buyer = random.next() > 0.35 - Math.min(0.15, tenureYears * 0.03);
    let purchases = 0;
    if (buyer) {
      const mean = 1.5 + tenureYears * 1.8;
      purchases = 1 + Math.floor(-Math.log(1 - random.next()) * mean);
    }
    let revenue = 0;
    for (let p = 0; p < purchases; p += 1) revenue += Math.exp(random.normal(Math.log(45), 0.6)) * (1 + (age - 38) / 100);
    revenue = Math.round(revenue * 100) / 100;
    const lastPurchase =
      purchases > 0 ? days.date(Math.floor((registered + Math.floor((today - registered) * (1 - random.next() ** (1 + purchases / 3)))) / DAY)) : null;
    const recent = tenureDays < 14;
    const subscription = pickSubscription(random, recent, tenureYears);
    // One draw each, as before, so every other value of a seed stays the same.
    const [first, nameGender] = pickFirstName(random, gender);
    const last = surnameFor(DEMO_SURNAMES[random.int(0, DEMO_SURNAMES.length - 1)]!, nameGender);
    yield {
      profileId: String(i).padStart(width, '0'),
      email: `${first}.${last}${random.int(1, 999)}@${pickWeighted(random, DOMAIN_CHOICE)}`,
      gender,
      birthDate: days.date(Math.floor(birth / DAY)),
      city: pickWeighted(random, CITY_CHOICE),
      registeredAt: days.dateTime(registered),
      lastPurchase,
      purchases,
      revenue,
      subscription,
    };
  }
}

/** A first name of the gender (one draw); without a gender, any name, and the name's gender for the surname. */
function pickFirstName(random: SeededRandom, gender: DemoProfile['gender']): readonly [string, 'female' | 'male'] {
  if (gender === null) return ANY_FIRST_NAME[random.int(0, ANY_FIRST_NAME.length - 1)]!;
  const names = DEMO_FIRST_NAMES[gender];
  return [names[random.int(0, names.length - 1)]!, gender];
}

/** Fresh sign-ups are often unconfirmed; the longer a customer stays, the likelier they left. */
function pickSubscription(random: SeededRandom, recent: boolean, tenureYears: number): SubscriptionStatus {
  const drift = Math.min(0.1, tenureYears * 0.02);
  const subscribed = recent ? 0.62 : 0.84 - drift;
  const unsubscribed = recent ? 0.03 : 0.09 + drift;
  const unconfirmed = recent ? 0.33 : 0.04;
  // Summed and subtracted in the order of SeededRandom.pick, so the picks stay the same.
  let r = random.next() * (0 + subscribed + unsubscribed + unconfirmed + 0.03);
  if ((r -= subscribed) < 0) return 'subscribed';
  if ((r -= unsubscribed) < 0) return 'unsubscribed';
  if ((r -= unconfirmed) < 0) return 'unconfirmed';
  return 'bounced';
}
