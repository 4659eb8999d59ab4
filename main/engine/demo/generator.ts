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

const FIRST = ['anna', 'maria', 'elena', 'olga', 'irina', 'natalia', 'svetlana', 'alexei', 'dmitry', 'sergei', 'andrei', 'ivan', 'pavel', 'nikolai', 'ekaterina', 'tatiana', 'mikhail', 'yulia', 'artem', 'daria'];
const LAST = ['ivanov', 'smirnov', 'kuznetsov', 'popov', 'vasiliev', 'petrov', 'sokolov', 'mikhailov', 'novikov', 'fedorov', 'morozov', 'volkov', 'alexeev', 'lebedev', 'semenov', 'egorov', 'pavlov', 'kozlov'];
const DOMAINS: readonly (readonly [string, number])[] = [['example.com', 5], ['example.org', 3], ['example.net', 2]];

const DAY = 86_400_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const isoDate = (t: number) => {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};
const isoDateTime = (t: number) => {
  const d = new Date(t);
  return `${isoDate(t)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

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
    const lastPurchase = purchases > 0 ? isoDate(registered + Math.floor((today - registered) * (1 - random.next() ** (1 + purchases / 3)))) : null;
    const recent = tenureDays < 14;
    const subscription: SubscriptionStatus = random.pick<SubscriptionStatus>([
      ['subscribed', recent ? 0.62 : 0.84 - Math.min(0.1, tenureYears * 0.02)],
      ['unsubscribed', recent ? 0.03 : 0.09 + Math.min(0.1, tenureYears * 0.02)],
      ['unconfirmed', recent ? 0.33 : 0.04],
      ['bounced', 0.03],
    ]);
    const first = FIRST[random.int(0, FIRST.length - 1)]!;
    const last = LAST[random.int(0, LAST.length - 1)]!;
    yield {
      profileId: String(i).padStart(width, '0'),
      email: `${first}.${last}${random.int(1, 999)}@${random.pick(DOMAINS)}`,
      gender,
      birthDate: isoDate(birth),
      city: random.pick(DEMO_CITIES),
      registeredAt: isoDateTime(registered),
      lastPurchase,
      purchases,
      revenue,
      subscription,
    };
  }
}
