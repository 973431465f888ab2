/**
 * Argument schemas of the editing commands (issue 3), spread into `commandSchema` in schemas.ts. Geometry is
 * bounded (rings, vertices) so a runaway sketch cannot send megabytes of coordinates.
 */
import { z } from 'zod';
import { FACILITY_KINDS, FACILITY_STATUSES, LANGUAGES, SERVICE_TYPES } from '../domain/project';

const finite = z.number().finite();
const position = z.tuple([finite, finite]).or(z.tuple([finite, finite, finite]));
const fid = z.number().int().positive();

const ring = z.array(position).min(4).max(200_000);
export const multiPolygonSchema = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1).max(10_000)).min(1).max(10_000) }).strict();
const lineSchema = z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2).max(10_000) }).strict();
const pointSchema = z.object({ type: z.literal('Point'), coordinates: position }).strict();

export const catchmentSetSchema = z.object({ service: z.enum(SERVICE_TYPES), language: z.enum(LANGUAGES) }).strict();

const serviceValue = z
  .object({
    service: z.enum(SERVICE_TYPES),
    capacity: z.number().int().min(0).max(100_000).nullable(),
    enrolment: z.number().int().min(0).max(100_000).nullable(),
    changeYear: z.number().int().min(1900).max(2200).nullable().optional(),
    changedCapacity: z.number().int().min(0).max(100_000).nullable().optional(),
  })
  .strict()
  .refine((value) => (value.changeYear == null) === (value.changedCapacity == null), { message: 'a capacity change needs both its year and its capacity' });
const services = z.array(serviceValue).max(SERVICE_TYPES.length);

const facilityAttributes = z
  .object({
    code: z.string().max(100).nullable().optional(),
    name_fi: z.string().trim().min(1).max(200),
    name_sv: z.string().max(200).nullable().optional(),
    facility_kind: z.enum(FACILITY_KINDS).optional(),
    language: z.enum(LANGUAGES).optional(),
    status: z.enum(FACILITY_STATUSES).optional(),
    opens_year: z.number().int().min(1800).max(2200).nullable().optional(),
    closes_year: z.number().int().min(1800).max(2200).nullable().optional(),
    address: z.string().max(300).nullable().optional(),
    floor_area_m2: z.number().finite().min(0).nullable().optional(),
    year_built: z.number().int().min(1000).max(2200).nullable().optional(),
    condition: z.number().int().min(1).max(5).nullable().optional(),
    renovation_need_eur: z.number().finite().min(0).nullable().optional(),
    operating_cost_eur: z.number().finite().min(0).nullable().optional(),
    investment_need_eur: z.number().finite().min(0).nullable().optional(),
    illustrative: z.number().int().min(0).max(1).optional(),
  })
  .strict();

export const editingCommandSchemas = [
  z.object({ type: z.literal('facility.add'), geometry: pointSchema, attributes: facilityAttributes, services: services.optional() }).strict(),
  z.object({ type: z.literal('facility.delete'), fid }).strict(),
  z.object({ type: z.literal('facility.setServices'), fid, services }).strict(),
  z.object({ type: z.literal('facility.edit'), fid, changes: facilityAttributes.partial(), services: services.optional() }).strict(),
  z.object({ type: z.literal('catchment.reshape'), fid, geometry: multiPolygonSchema }).strict(),
  z.object({ type: z.literal('catchment.reshapeMany'), changes: z.array(z.object({ fid, geometry: multiPolygonSchema }).strict()).min(1).max(500) }).strict(),
  z.object({ type: z.literal('catchment.moveVertex'), set: catchmentSetSchema, from: position, to: position }).strict(),
  z.object({ type: z.literal('catchment.addVertex'), set: catchmentSetSchema, at: position }).strict(),
  z.object({ type: z.literal('catchment.removeVertex'), set: catchmentSetSchema, at: position }).strict(),
  z
    .object({
      type: z.literal('catchment.create'),
      geometry: multiPolygonSchema,
      attributes: z.object({ name: z.string().trim().min(1).max(200), service: z.enum(SERVICE_TYPES), language: z.enum(LANGUAGES), facility_fid: fid.nullable().optional() }).strict(),
      avoidOverlap: z.boolean(),
    })
    .strict(),
  z.object({ type: z.literal('catchment.split'), fid, line: lineSchema }).strict(),
  z.object({ type: z.literal('catchment.merge'), fids: z.array(fid).min(2).max(500) }).strict(),
  z.object({ type: z.literal('catchment.delete'), fid }).strict(),
  z
    .object({
      type: z.literal('catchment.update'),
      fid,
      changes: z.object({ name: z.string().trim().min(1).max(200), facility_fid: fid.nullable(), locked: z.number().int().min(0).max(1) }).partial().strict(),
    })
    .strict(),
  z.object({ type: z.literal('demandUnit.update'), fid, changes: z.object({ name: z.string().trim().max(200).nullable() }).partial().strict() }).strict(),
  z.object({ type: z.literal('units.assign'), catchmentFid: fid, unitFids: z.array(fid).min(1).max(100_000) }).strict(),
  z.object({ type: z.literal('units.assignMany'), assignments: z.array(z.object({ catchmentFid: fid, unitFids: z.array(fid).min(1).max(100_000) }).strict()).min(1).max(5_000) }).strict(),
] as const;
