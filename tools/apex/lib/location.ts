/**
 * `System.Location`: a geolocation (Apex Reference, "Location Class",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_System_Location.htm):
 * `newInstance(latitude, longitude)`, its coordinates as Doubles, and the distance between two
 * locations in `mi` or `km`. The distance is the great-circle (haversine) distance on a sphere of the
 * Earth's mean radius; Salesforce does not publish its formula, so the last digits may differ.
 */
import { NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { Dec, stringValueOf } from '../run/values.ts';
import { throwEx, throwNpe } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';

const num = (v: unknown): number => (v instanceof Dec ? v.n : Number(v));
const dbl = (n: number | null): Dec | null => (n === null ? null : new Dec(n, undefined, true));

function coordinate(l: NObj, k: string): number | null {
  const v = l.get<number | null>(k);
  return v === null || v === undefined ? null : v;
}

/** Great-circle distance between two locations, in `unit` ('mi' or 'km'). */
function distance(f: Frame, a: unknown, b: unknown, unit: unknown): Dec | null {
  if (!(a instanceof NObj) || !(b instanceof NObj)) throwNpe(f);
  const u = stringValueOf(unit).toLowerCase();
  if (u !== 'mi' && u !== 'km') throwEx(f, 'InvalidParameterValueException', `Invalid unit: ${stringValueOf(unit)}. Use mi or km.`);
  const [lat1, lon1, lat2, lon2] = [
    coordinate(a as NObj, 'latitude'),
    coordinate(a as NObj, 'longitude'),
    coordinate(b as NObj, 'latitude'),
    coordinate(b as NObj, 'longitude'),
  ];
  if (lat1 === null || lon1 === null || lat2 === null || lon2 === null) return null;
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  const radius = u === 'km' ? 6371.0088 : 3958.7613;
  return dbl(2 * radius * Math.asin(Math.min(1, Math.sqrt(h))));
}

defineNative(
  {
    name: 'Location',
    statics: {
      'Location newInstance(Decimal, Decimal)': (f, [lat, lon]) => {
        const l = new NObj('Location');
        l.set('latitude', lat === null ? null : num(lat));
        l.set('longitude', lon === null ? null : num(lon));
        return l;
      },
      'Double getDistance(Location, Location, String)': (f, [a, b, unit]) => distance(f, a, b, unit),
    },
    methods: {
      'Double getLatitude()': (f, l: NObj) => dbl(coordinate(l, 'latitude')),
      'Double getLongitude()': (f, l: NObj) => dbl(coordinate(l, 'longitude')),
      'Double getAltitude()': () => null,
      'Double getDistance(Location, String)': (f, l: NObj, [other, unit]) => distance(f, l, other, unit),
    },
    complete: true,
  },
  'System.Location',
);
