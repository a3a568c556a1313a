/**
 * Regional flavour for the synthetic portfolio: per currency region, the cities (with their IANA time
 * zone, dialling area and postcode), the business and person names, street addresses and phone
 * numbers. Everything is invented; phone numbers use the ranges regulators reserve for fiction where
 * one exists (US/Canada 555-01xx, Ofcom's 0161 496 0xxx and 07700 900xxx, ARCEP's 01 99 00 xx xx), so
 * a demo wired to a real dialler reaches nobody, and e-mail domains end in the reserved `.example`.
 */
import type { CurrencyCode } from '../../src/domain/money';
import { type Prng, type WeightedTable, weightedTable } from './prng';

export interface City {
  readonly name: string;
  /** State, province or prefecture ward, when the address format shows one. */
  readonly region: string;
  readonly timeZone: string;
  /** Dialling area: the US area code, or the national prefix the region's phone format expects. */
  readonly areas: readonly string[];
  /** The fixed part of the postcode; the region's format fills in the rest. */
  readonly postal: string;
  /** Language mix when it differs from the region's (Montreal is mostly French). */
  readonly languages?: WeightedTable<string>;
}

export interface NameStyle {
  readonly surnames: readonly string[];
  readonly firstNames: readonly string[];
  readonly places: readonly string[];
  readonly industries: readonly string[];
  /** Descriptive endings ("Supply Co.", "Group") for the English patterns. */
  readonly kinds: readonly string[];
  readonly legal: readonly string[];
  /** {S} surname, {S2} another surname, {P} place, {I} industry, {K} kind, {L} legal form. */
  readonly patterns: WeightedTable<string>;
  readonly streets: readonly string[];
}

export type PaymentRail = 'ach' | 'sepa' | 'bacs' | 'eft' | 'furikomi';

export interface Region {
  readonly id: 'us' | 'ca' | 'gb' | 'ie' | 'de' | 'fr' | 'es' | 'nl' | 'jp';
  readonly currency: CurrencyCode;
  /** Units of this currency per US dollar, so ticket sizes are comparable across regions. */
  readonly perUsd: number;
  readonly languages: WeightedTable<string>;
  readonly cities: WeightedTable<City>;
  readonly names: NameStyle;
  readonly rail: PaymentRail;
  /** Cheques are still common in North America and France, rare elsewhere. */
  readonly chequeShare: number;
  address(rng: Prng, city: City, names: NameStyle): string;
  phone(rng: Prng, city: City, mobile: boolean): string;
}

export function digits(rng: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(48 + rng.int(10));
  return s;
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Upper-case letters and digits without the look-alikes (0/O, 1/I), as bank references print them. */
export function alnum(rng: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM.charAt(rng.int(ALNUM.length));
  return s;
}

const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXY';
const letter = (rng: Prng) => LETTERS.charAt(rng.int(LETTERS.length));

const one = (s: string) => weightedTable([[s, 1]]);

const city = (
  name: string,
  region: string,
  timeZone: string,
  areas: readonly string[],
  postal: string,
  languages?: WeightedTable<string>,
): City => (languages === undefined ? { name, region, timeZone, areas, postal } : { name, region, timeZone, areas, postal, languages });

// ---------------------------------------------------------------------------------------------------
// Name styles

const EN_SURNAMES = [
  'Nguyen', 'Patel', 'Garcia', 'Johnson', 'Kim', "O'Brien", 'Schmidt', 'Okafor', 'Rossi', 'Cohen', 'Williams',
  'Martinez', 'Chen', 'Murphy', 'Kowalski', 'Haddad', 'Silva', 'Novak', 'Anderson', 'Lopez', 'Singh', 'Baker',
  'Thompson', 'Walker', 'Reyes', 'Brooks', 'Foster', 'Hughes', 'Jensen', 'Lindqvist', 'Mensah', 'Park', 'Ramirez',
  'Sullivan', 'Tran', 'Washington', 'Yamada', 'Abbott', 'Delgado', 'Fitzgerald', 'Gallagher', 'Hoang', 'Ivanov',
  'MacLeod', 'Moreau', 'Ortiz', 'Petrov', 'Quinn', 'Russo', 'Stewart', 'Turner', 'Vargas', 'Wright', 'Young',
];
const EN_FIRST = [
  'James', 'Maria', 'Robert', 'Linda', 'Michael', 'Priya', 'David', 'Aisha', 'Daniel', 'Mei', 'Carlos', 'Emily',
  'Kwame', 'Sofia', 'Thomas', 'Fatima', 'Kevin', 'Grace', 'Luis', 'Hannah', 'Omar', 'Rachel', 'Wei', 'Olivia',
  'Andre', 'Chloe', 'Raj', 'Megan', 'Tyrone', 'Elena', 'Brian', 'Nadia', 'Sean', 'Laura', 'Diego', 'Kate',
];
const EN_PLACES = [
  'Harbor', 'Summit', 'Blue Ridge', 'Cedar', 'Riverside', 'Prairie', 'Lakeside', 'Pinecrest', 'Northstar',
  'Keystone', 'Ironwood', 'Redwood', 'Bayview', 'Granite', 'Evergreen', 'Mesa', 'Canyon', 'Maple', 'Silver Creek',
  'Oakmont', 'Coastal', 'Frontier', 'Liberty', 'Heritage', 'Pioneer', 'Tri-County', 'Golden State', 'Great Lakes',
  'Sunrise', 'Crescent', 'Highland', 'Valley', 'Eastside', 'Westgate', 'Metro', 'Union', 'Anchor', 'Beacon',
];
const EN_INDUSTRIES = [
  'Freight', 'Dental', 'Logistics', 'Roofing', 'Plumbing', 'Electric', 'Landscaping', 'Bakery', 'Auto Parts',
  'Printing', 'Veterinary', 'Construction', 'Hardware', 'Medical', 'Pharmacy', 'Foods', 'Brewing', 'Machine',
  'Textile', 'Packaging', 'HVAC', 'Janitorial', 'Catering', 'Floral', 'Optical', 'Tile & Stone', 'Lumber',
  'Marine', 'Steel', 'Analytics', 'Software', 'Office', 'Restaurant', 'Fitness', 'Pet', 'Paint', 'Glass',
];
const EN_KINDS = [
  'Supply Co.', 'Group', 'Partners', 'Services', 'Holdings', 'Company', 'Works', 'Distributors', 'Wholesale',
  'Solutions', 'Associates', 'Clinic', 'Center', 'Outfitters', 'Systems', 'Traders',
];

const US_NAMES: NameStyle = {
  surnames: EN_SURNAMES,
  firstNames: EN_FIRST,
  places: EN_PLACES,
  industries: EN_INDUSTRIES,
  kinds: EN_KINDS,
  legal: ['Inc.', 'LLC', 'Corp.', 'Co.', 'LLP'],
  patterns: weightedTable([
    ['{P} {I} {K}', 30],
    ['{S} {I} {K}', 25],
    ['{P} {I} {L}', 15],
    ['{S} & {S2} {K}', 8],
    ['{S} {I}', 10],
    ['{S} & Sons {L}', 4],
    ['{P} {K} {L}', 8],
  ]),
  streets: [
    'Main St', 'Oak Ave', 'Harbor Blvd', 'Commerce Dr', 'Industrial Pkwy', 'Market St', 'Elm St', '2nd Ave', 'Lakeview Rd',
    'Mill Rd', 'Park Ave', 'Washington St', 'Cedar Ln', 'Airport Rd', 'Riverside Dr', 'Enterprise Way', 'Route 9',
  ],
};

const GB_NAMES: NameStyle = {
  ...US_NAMES,
  surnames: [...EN_SURNAMES.slice(0, 30), 'Evans', 'Davies', 'Roberts', 'Clarke', 'Khan', 'Ahmed', 'Campbell', 'Price'],
  places: ['Thames', 'Pennine', 'Northgate', 'Albion', 'Kingsway', 'Mersey', 'Cotswold', 'Severn', 'Highgate', 'Tyne', 'Chiltern', ...EN_PLACES.slice(0, 20)],
  legal: ['Ltd', 'Ltd', 'Limited', 'plc', 'LLP'],
  streets: ['High Street', 'Station Road', 'Church Lane', 'Mill Lane', 'Victoria Road', 'Queen Street', 'London Road', 'Park Road', 'Trinity Way'],
};

const IE_NAMES: NameStyle = {
  ...GB_NAMES,
  surnames: ['Murphy', 'Kelly', "O'Sullivan", 'Walsh', "O'Connor", 'Byrne', 'Ryan', "O'Neill", 'Doyle', 'Kavanagh', 'Nolan', 'Brennan', ...EN_SURNAMES.slice(0, 12)],
  places: ['Liffey', 'Shannon', 'Atlantic', 'Emerald', 'Wicklow', 'Burren', ...EN_PLACES.slice(0, 16)],
  legal: ['Ltd', 'Ltd', 'DAC', 'Unlimited Company'],
  streets: ['Baggot Street', 'Dame Street', 'Main Street', 'Patrick Street', 'Grafton Street', 'Quay Road', 'Harbour Road'],
};

const CA_NAMES: NameStyle = {
  ...US_NAMES,
  surnames: [...EN_SURNAMES.slice(0, 34), 'Tremblay', 'Gagnon', 'Roy', 'Bouchard', 'Macdonald', 'Leblanc', 'Wong', 'Gill'],
  places: ['Maple Leaf', 'Northern', 'Laurentian', 'Prairie', 'Pacific', 'Great North', 'Muskoka', 'Fraser', ...EN_PLACES.slice(0, 18)],
  legal: ['Inc.', 'Ltd.', 'Corp.', 'ULC'],
  streets: ['King St W', 'Queen St E', 'Main St', 'Yonge St', 'Granville St', 'Portage Ave', 'Industrial Rd', 'Rue Sainte-Catherine'],
};

const FR_NAMES: NameStyle = {
  surnames: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'Fontaine', 'Rousseau', 'Benali', 'Mercier', 'Blanc'],
  firstNames: ['Camille', 'Louis', 'Chloé', 'Hugo', 'Léa', 'Lucas', 'Manon', 'Nathan', 'Inès', 'Julien', 'Sarah', 'Mehdi', 'Claire', 'Antoine', 'Élodie', 'Karim'],
  places: ['Atlantique', 'Provence', 'Val de Loire', 'Alpes', 'Méditerranée', 'Seine', 'Rhône', 'Bretagne', 'Azur', 'Normandie'],
  industries: ['Boulangerie', 'Transports', 'Menuiserie', 'Plomberie', 'Imprimerie', 'Électricité', 'Garage', 'Pharmacie', 'Traiteur', 'Bâtiment', 'Logistique', 'Optique'],
  kinds: ['Groupe', 'Services', 'Distribution', 'Industries', 'Conseil'],
  legal: ['SARL', 'SAS', 'SA', 'EURL'],
  patterns: weightedTable([
    ['{I} {S} {L}', 35],
    ['{I} {S}', 15],
    ['{K} {S} {L}', 15],
    ['{I} {P} {L}', 20],
    ['{S} & {S2} {L}', 8],
    ['{K} {P}', 7],
  ]),
  streets: ['rue de la République', 'avenue Jean Jaurès', 'boulevard Voltaire', 'rue du Commerce', 'rue Victor Hugo', 'chemin des Vignes', "rue de l'Industrie"],
};

const CA_FR_NAMES: NameStyle = {
  ...FR_NAMES,
  surnames: ['Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Gauthier', 'Morin', 'Lavoie', 'Fortin', 'Gagné', 'Ouellet', 'Pelletier', 'Bélanger', 'Lévesque'],
  places: ['Laurentides', 'Saint-Laurent', 'Boréal', 'Estrie', 'Mauricie', 'Outaouais'],
  legal: ['Inc.', 'ltée', 'S.E.N.C.'],
  streets: ['rue Sainte-Catherine', 'boulevard Saint-Laurent', 'rue Saint-Denis', 'avenue du Parc', 'rue Notre-Dame'],
};

const DE_NAMES: NameStyle = {
  surnames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Yılmaz', 'Zimmermann', 'Krüger', 'Hartmann'],
  firstNames: ['Lukas', 'Anna', 'Jonas', 'Lea', 'Felix', 'Marie', 'Leon', 'Sophie', 'Paul', 'Katharina', 'Elias', 'Mia', 'Stefan', 'Sabine', 'Emre', 'Julia'],
  places: ['Rhein', 'Alster', 'Spree', 'Nord', 'Süd', 'Elbe', 'Taunus', 'Harz', 'Main', 'Allgäu'],
  industries: ['Maschinenbau', 'Logistik', 'Elektrotechnik', 'Haustechnik', 'Druckerei', 'Metallbau', 'Feinkost', 'Autohaus', 'Bau', 'Dachdeckerei', 'Medizintechnik', 'Verpackung'],
  kinds: ['Handel', 'Service', 'Gruppe', 'Werke', 'Technik'],
  legal: ['GmbH', 'GmbH', 'AG', 'KG', 'GmbH & Co. KG', 'e.K.'],
  patterns: weightedTable([
    ['{S} {I} {L}', 40],
    ['{P} {I} {L}', 20],
    ['{I} {S}', 15],
    ['{S} & {S2} {L}', 10],
    ['{P}-{K} {L}', 15],
  ]),
  streets: ['Hauptstraße', 'Industriestraße', 'Bahnhofstraße', 'Gewerbering', 'Lindenweg', 'Schillerstraße', 'Am Hafen', 'Gartenstraße'],
};

const ES_NAMES: NameStyle = {
  surnames: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Navarro'],
  firstNames: ['Lucía', 'Hugo', 'Martina', 'Pablo', 'Sofía', 'Álvaro', 'Paula', 'Javier', 'Carmen', 'Diego', 'Elena', 'Sergio', 'Marta', 'Adrián'],
  places: ['Ibérica', 'Levante', 'Cantábrico', 'Mediterráneo', 'Meseta', 'Atlántico', 'Sierra', 'Costa'],
  industries: ['Transportes', 'Construcciones', 'Distribuciones', 'Talleres', 'Clínica Dental', 'Panadería', 'Suministros', 'Electricidad', 'Climatización', 'Imprenta'],
  kinds: ['Grupo', 'Servicios', 'Comercial', 'Industrias'],
  legal: ['S.L.', 'S.L.', 'S.A.', 'S.L.U.'],
  patterns: weightedTable([
    ['{I} {S} {L}', 40],
    ['{I} {P} {L}', 25],
    ['{K} {S} {L}', 20],
    ['{S} e Hijos {L}', 5],
    ['{K} {P}', 10],
  ]),
  streets: ['Calle Mayor', 'Avenida de la Constitución', 'Calle de Alcalá', 'Polígono Industrial Norte', 'Gran Vía', 'Calle del Comercio'],
};

const NL_NAMES: NameStyle = {
  surnames: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Bos', 'Vos', 'Peters', 'Hendriks'],
  firstNames: ['Daan', 'Emma', 'Sem', 'Julia', 'Lucas', 'Mila', 'Finn', 'Tess', 'Levi', 'Sophie', 'Bram', 'Anouk', 'Thijs', 'Fleur'],
  places: ['Noord', 'Zuid', 'Delta', 'Polder', 'Amstel', 'Maas', 'Rijn', 'Kust'],
  industries: ['Logistiek', 'Bouw', 'Installatietechniek', 'Drukkerij', 'Techniek', 'Bakkerij', 'Transport', 'Groothandel', 'Tandartspraktijk'],
  kinds: ['Groep', 'Diensten', 'Handel', 'Partners'],
  legal: ['B.V.', 'B.V.', 'N.V.', 'V.O.F.'],
  patterns: weightedTable([
    ['{S} {I} {L}', 40],
    ['{I} {S}', 20],
    ['{P} {I} {L}', 25],
    ['{P} {K} {L}', 15],
  ]),
  streets: ['Kerkstraat', 'Industrieweg', 'Stationsweg', 'Dorpsstraat', 'Havenstraat', 'Marktplein', 'Molenweg'],
};

const JP_NAMES: NameStyle = {
  surnames: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato', 'Yoshida', 'Yamada', 'Sasaki', 'Matsumoto', 'Inoue', 'Kimura'],
  firstNames: ['Haruto', 'Yui', 'Sota', 'Hina', 'Yuto', 'Aoi', 'Ren', 'Sakura', 'Takumi', 'Yuna', 'Kenji', 'Emi', 'Daiki', 'Mao'],
  places: ['Sakura', 'Fuji', 'Asahi', 'Hikari', 'Midori', 'Nishi', 'Higashi', 'Kita', 'Minami', 'Tokai', 'Kansai', 'Chuo'],
  industries: ['Kogyo', 'Shoji', 'Seisakusho', 'Unyu', 'Kensetsu', 'Denki', 'Shokuhin', 'Trading', 'Seiki', 'Insatsu'],
  kinds: ['Holdings', 'Systems', 'Service', 'Works'],
  legal: ['Co., Ltd.', 'Co., Ltd.', 'K.K.', 'Inc.'],
  patterns: weightedTable([
    ['{S} {I} {L}', 45],
    ['{P} {I} {L}', 35],
    ['{P} {K} {L}', 20],
  ]),
  // Districts stand in for streets: Japanese addresses count blocks inside a district.
  streets: ['Marunouchi', 'Nihonbashi', 'Shiba', 'Umeda', 'Sakae', 'Hakata-ekimae', 'Shinjuku', 'Kanda', 'Honmachi', 'Tenjin'],
};

// ---------------------------------------------------------------------------------------------------
// Regions

const EN = one('en');

const US: Region = {
  id: 'us',
  currency: 'USD' as CurrencyCode,
  perUsd: 1,
  languages: weightedTable([
    ['en', 90],
    ['es', 10],
  ]),
  cities: weightedTable([
    [city('New York', 'NY', 'America/New_York', ['212', '718', '646'], '100'), 14],
    [city('Atlanta', 'GA', 'America/New_York', ['404', '678'], '303'), 6],
    [city('Miami', 'FL', 'America/New_York', ['305', '786'], '331'), 6],
    [city('Boston', 'MA', 'America/New_York', ['617'], '021'), 5],
    [city('Philadelphia', 'PA', 'America/New_York', ['215'], '191'), 5],
    [city('Detroit', 'MI', 'America/Detroit', ['313'], '482'), 3],
    [city('Chicago', 'IL', 'America/Chicago', ['312', '773'], '606'), 10],
    [city('Dallas', 'TX', 'America/Chicago', ['214', '972'], '752'), 7],
    [city('Houston', 'TX', 'America/Chicago', ['713', '832'], '770'), 7],
    [city('Minneapolis', 'MN', 'America/Chicago', ['612'], '554'), 3],
    [city('Denver', 'CO', 'America/Denver', ['303', '720'], '802'), 5],
    [city('Salt Lake City', 'UT', 'America/Denver', ['801'], '841'), 2],
    [city('Phoenix', 'AZ', 'America/Phoenix', ['602', '480'], '850'), 5],
    [city('Los Angeles', 'CA', 'America/Los_Angeles', ['213', '310'], '900'), 10],
    [city('San Francisco', 'CA', 'America/Los_Angeles', ['415'], '941'), 4],
    [city('Seattle', 'WA', 'America/Los_Angeles', ['206'], '981'), 4],
    [city('Honolulu', 'HI', 'Pacific/Honolulu', ['808'], '968'), 2],
    [city('Anchorage', 'AK', 'America/Anchorage', ['907'], '995'), 1],
  ]),
  names: US_NAMES,
  rail: 'ach',
  chequeShare: 1,
  address: (rng, c, n) => `${rng.between(10, 9899)} ${rng.pick(n.streets)}, ${c.name}, ${c.region} ${c.postal}${digits(rng, 2)}`,
  // 555-0100..0199 is the North American range reserved for fiction.
  phone: (rng, c) => `+1 ${rng.pick(c.areas)}-555-01${digits(rng, 2)}`,
};

const CA: Region = {
  id: 'ca',
  currency: 'CAD' as CurrencyCode,
  perUsd: 1.36,
  languages: EN,
  cities: weightedTable([
    [city('Toronto', 'ON', 'America/Toronto', ['416', '647'], 'M5V'), 35],
    [city('Montréal', 'QC', 'America/Toronto', ['514', '438'], 'H2X', weightedTable([['fr', 75], ['en', 25]])), 20],
    [city('Vancouver', 'BC', 'America/Vancouver', ['604', '778'], 'V6B'), 18],
    [city('Calgary', 'AB', 'America/Edmonton', ['403', '587'], 'T2P'), 12],
    [city('Winnipeg', 'MB', 'America/Winnipeg', ['204'], 'R3C'), 6],
    [city('Halifax', 'NS', 'America/Halifax', ['902'], 'B3H'), 5],
    [city("St. John's", 'NL', 'America/St_Johns', ['709'], 'A1C'), 4],
  ]),
  names: CA_NAMES,
  rail: 'eft',
  chequeShare: 0.8,
  address: (rng, c, n) => `${rng.between(10, 2999)} ${rng.pick(n.streets)}, ${c.name}, ${c.region} ${c.postal} ${rng.int(10)}${letter(rng)}${rng.int(10)}`,
  phone: (rng, c) => `+1 ${rng.pick(c.areas)}-555-01${digits(rng, 2)}`,
};

const GB: Region = {
  id: 'gb',
  currency: 'GBP' as CurrencyCode,
  perUsd: 0.79,
  languages: EN,
  cities: weightedTable([
    [city('London', '', 'Europe/London', ['20 7946 0'], 'EC1A'), 40],
    [city('Manchester', '', 'Europe/London', ['161 496 0'], 'M1'), 15],
    [city('Birmingham', '', 'Europe/London', ['121 496 0'], 'B1'), 15],
    [city('Leeds', '', 'Europe/London', ['113 496 0'], 'LS1'), 10],
    [city('Glasgow', '', 'Europe/London', ['141 496 0'], 'G1'), 10],
    [city('Bristol', '', 'Europe/London', ['117 496 0'], 'BS1'), 10],
  ]),
  names: GB_NAMES,
  rail: 'bacs',
  chequeShare: 0.2,
  address: (rng, c, n) => `${rng.between(1, 240)} ${rng.pick(n.streets)}, ${c.name} ${c.postal} ${rng.int(10)}${letter(rng)}${letter(rng)}`,
  // Ofcom's drama ranges: 0xx 496 0000–0999 (020 7946 0xxx in London) and 07700 900000–900999.
  phone: (rng, c, mobile) => (mobile ? `+44 7700 900${digits(rng, 3)}` : `+44 ${rng.pick(c.areas)}${digits(rng, 3)}`),
};

const IE: Region = {
  id: 'ie',
  currency: 'EUR' as CurrencyCode,
  perUsd: 0.92,
  languages: EN,
  cities: weightedTable([
    [city('Dublin', '', 'Europe/Dublin', ['1'], 'D02'), 70],
    [city('Cork', '', 'Europe/Dublin', ['21'], 'T12'), 20],
    [city('Galway', '', 'Europe/Dublin', ['91'], 'H91'), 10],
  ]),
  names: IE_NAMES,
  rail: 'sepa',
  chequeShare: 0.1,
  address: (rng, c, n) => `${rng.between(1, 180)} ${rng.pick(n.streets)}, ${c.name} ${c.postal} ${letter(rng)}${digits(rng, 3)}`,
  phone: (rng, c, mobile) => (mobile ? `+353 87 ${digits(rng, 3)} ${digits(rng, 4)}` : `+353 ${rng.pick(c.areas)} ${digits(rng, 3)} ${digits(rng, 4)}`),
};

const DE: Region = {
  id: 'de',
  currency: 'EUR' as CurrencyCode,
  perUsd: 0.92,
  languages: one('de'),
  cities: weightedTable([
    [city('Berlin', '', 'Europe/Berlin', ['30'], '101'), 25],
    [city('Hamburg', '', 'Europe/Berlin', ['40'], '200'), 20],
    [city('München', '', 'Europe/Berlin', ['89'], '803'), 20],
    [city('Köln', '', 'Europe/Berlin', ['221'], '506'), 15],
    [city('Frankfurt am Main', '', 'Europe/Berlin', ['69'], '603'), 20],
  ]),
  names: DE_NAMES,
  rail: 'sepa',
  chequeShare: 0.02,
  address: (rng, c, n) => `${rng.pick(n.streets)} ${rng.between(1, 160)}, ${c.postal}${digits(rng, 2)} ${c.name}`,
  phone: (rng, c, mobile) => (mobile ? `+49 15${rng.pick(['1', '2', '7'])} ${digits(rng, 8)}` : `+49 ${rng.pick(c.areas)} ${digits(rng, 7)}`),
};

const FR: Region = {
  id: 'fr',
  currency: 'EUR' as CurrencyCode,
  perUsd: 0.92,
  languages: one('fr'),
  cities: weightedTable([
    [city('Paris', '', 'Europe/Paris', ['1 99 00'], '750'), 45],
    [city('Lyon', '', 'Europe/Paris', ['4 65 71'], '690'), 20],
    [city('Marseille', '', 'Europe/Paris', ['4 65 71'], '130'), 15],
    [city('Bordeaux', '', 'Europe/Paris', ['5 36 49'], '330'), 10],
    [city('Lille', '', 'Europe/Paris', ['3 53 01'], '590'), 10],
  ]),
  names: FR_NAMES,
  rail: 'sepa',
  chequeShare: 0.6,
  address: (rng, c, n) => `${rng.between(1, 120)} ${rng.pick(n.streets)}, ${c.postal}${digits(rng, 2)} ${c.name}`,
  // ARCEP's numbers reserved for fiction: 01 99 00 xx xx, 04 65 71 xx xx… and 06 39 98 xx xx.
  phone: (rng, c, mobile) =>
    mobile ? `+33 6 39 98 ${digits(rng, 2)} ${digits(rng, 2)}` : `+33 ${rng.pick(c.areas)} ${digits(rng, 2)} ${digits(rng, 2)}`,
};

const ES: Region = {
  id: 'es',
  currency: 'EUR' as CurrencyCode,
  perUsd: 0.92,
  languages: weightedTable([
    ['es', 90],
    ['ca', 10],
  ]),
  cities: weightedTable([
    [city('Madrid', '', 'Europe/Madrid', ['91'], '280'), 45],
    [city('Barcelona', '', 'Europe/Madrid', ['93'], '080'), 35],
    [city('Valencia', '', 'Europe/Madrid', ['96'], '460'), 20],
  ]),
  names: ES_NAMES,
  rail: 'sepa',
  chequeShare: 0.05,
  address: (rng, c, n) => `${rng.pick(n.streets)} ${rng.between(1, 200)}, ${c.postal}${digits(rng, 2)} ${c.name}`,
  phone: (rng, c, mobile) =>
    mobile ? `+34 6${digits(rng, 2)} ${digits(rng, 3)} ${digits(rng, 3)}` : `+34 ${rng.pick(c.areas)}${digits(rng, 1)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`,
};

const NL: Region = {
  id: 'nl',
  currency: 'EUR' as CurrencyCode,
  perUsd: 0.92,
  languages: one('nl'),
  cities: weightedTable([
    [city('Amsterdam', '', 'Europe/Amsterdam', ['20'], '10'), 45],
    [city('Rotterdam', '', 'Europe/Amsterdam', ['10'], '30'), 35],
    [city('Utrecht', '', 'Europe/Amsterdam', ['30'], '35'), 20],
  ]),
  names: NL_NAMES,
  rail: 'sepa',
  chequeShare: 0,
  address: (rng, c, n) => `${rng.pick(n.streets)} ${rng.between(1, 250)}, ${c.postal}${digits(rng, 2)} ${letter(rng)}${letter(rng)} ${c.name}`,
  phone: (rng, c, mobile) => (mobile ? `+31 6 ${digits(rng, 8)}` : `+31 ${rng.pick(c.areas)} ${digits(rng, 3)} ${digits(rng, 4)}`),
};

const JP: Region = {
  id: 'jp',
  currency: 'JPY' as CurrencyCode,
  perUsd: 150,
  languages: one('ja'),
  cities: weightedTable([
    [city('Tokyo', 'Chiyoda-ku', 'Asia/Tokyo', ['3'], '100-00'), 50],
    [city('Osaka', 'Kita-ku', 'Asia/Tokyo', ['6'], '530-00'), 25],
    [city('Nagoya', 'Naka-ku', 'Asia/Tokyo', ['52'], '460-00'), 15],
    [city('Fukuoka', 'Hakata-ku', 'Asia/Tokyo', ['92'], '812-00'), 10],
  ]),
  names: JP_NAMES,
  rail: 'furikomi',
  chequeShare: 0,
  address: (rng, c, n) => `${rng.between(1, 9)}-${rng.between(1, 20)}-${rng.between(1, 30)} ${rng.pick(n.streets)}, ${c.region}, ${c.name} ${c.postal}${digits(rng, 2)}`,
  phone: (rng, c, mobile) =>
    mobile
      ? `+81 ${rng.pick(['70', '80', '90'])}-${digits(rng, 4)}-${digits(rng, 4)}`
      : c.areas[0]?.length === 1
        ? `+81 ${c.areas[0]}-${digits(rng, 4)}-${digits(rng, 4)}`
        : `+81 ${rng.pick(c.areas)}-${digits(rng, 3)}-${digits(rng, 4)}`,
};

/** Share of accounts per region: mostly US dollars, then euro, sterling, Canadian dollars and yen. */
export const REGIONS: WeightedTable<Region> = weightedTable<Region>([
  [US, 70],
  [DE, 4.5],
  [FR, 3],
  [ES, 2],
  [NL, 1.5],
  [IE, 1],
  [GB, 8],
  [CA, 7],
  [JP, 3],
]);

/** The name style for a city: Montréal businesses mostly carry French names. */
export function namesFor(region: Region, language: string): NameStyle {
  return region.id === 'ca' && language === 'fr' ? CA_FR_NAMES : region.names;
}

/** A business name from the style's patterns: "Harbor Freight Supply Co.", "Nguyen Dental Group". */
export function businessName(rng: Prng, n: NameStyle): string {
  const pattern = rng.weighted(n.patterns);
  let s2 = rng.pick(n.surnames);
  const s = rng.pick(n.surnames);
  if (s2 === s) s2 = rng.pick(n.surnames);
  return pattern
    .replace('{S2}', s2)
    .replace('{S}', s)
    .replace('{P}', rng.pick(n.places))
    .replace('{I}', rng.pick(n.industries))
    .replace('{K}', rng.pick(n.kinds))
    .replace('{L}', rng.pick(n.legal));
}

const STOP_WORDS = new Set([
  'co', 'inc', 'llc', 'llp', 'corp', 'ltd', 'limited', 'plc', 'dac', 'ulc', 'gmbh', 'ag', 'kg', 'e', 'k', 'the', 'and', 'sons',
  'de', 'la', 'le', 'du', 'des', 'van', 'den', 'der', 'sarl', 'sas', 'sa', 'eurl', 's', 'l', 'u', 'a', 'bv', 'b', 'v', 'n', 'o', 'f', 'kk',
  'ltee', 'hijos', 'company', 'unlimited',
]);

/** ASCII words of a name: "Müller & Söhne GmbH" → ["muller", "sohne", "gmbh"]. */
export function asciiWords(name: string): string[] {
  const folded = name
    .replace(/ß/g, 'ss')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  return folded.match(/[a-z0-9]+/g) ?? [];
}

/** A plausible company domain under the reserved `.example` TLD: "harbor-freight.example". */
export function companyDomain(name: string): string {
  const words = asciiWords(name).filter((w) => !STOP_WORDS.has(w));
  const base = words.slice(0, 2).join('-');
  return `${base === '' ? 'company' : base}.example`;
}

export const PERSONAL_DOMAINS = ['mail.example', 'post.example', 'inbox.example', 'webmail.example'] as const;
