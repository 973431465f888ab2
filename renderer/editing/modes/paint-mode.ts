/**
 * Paint by units (B for brush): the target is the selected catchment of the shown set (or the first
 * catchment clicked). Click or drag over demand units to paint them into it; the paint panel shows the
 * live delta — children by age group and the utilisation of the receiving and donor facilities — and on
 * release the stroke is stored as one units.assign command. Units of a locked catchment are not taken.
 */
import type Feature from 'ol/Feature.js';
import type { Geometry } from 'ol/geom.js';
import type { CatchmentSetKey } from '../../../shared/domain/editing-commands';
import { paintDelta, unitMembership, type PaintContext } from '../../../shared/editing/paint';
import { catchmentSetId } from '../../../shared/domain/editing-commands';
import { useEditingStore } from '../editing-store';
import { multiPolygonOf } from './draw-modes';
import { EditMode, type ModeContext, type PointerInfo } from './mode';

/** Paint data: the host's paint context and the unit → catchment membership of the shown set. */
export class PaintModel {
  context: PaintContext | null = null;
  membership = new Map<number, number>();
  private key = '';

  constructor(private readonly ctx: ModeContext) {}

  async refresh(force = false): Promise<void> {
    const set = this.ctx.shownSet();
    const units = this.unitFeatures();
    const catchments = this.catchmentFeatures();
    const key = set ? `${catchmentSetId(set)}:${units.length}:${catchments.length}` : '';
    if (!force && key === this.key && this.context) return;
    this.key = key;
    this.context = await this.ctx.host.getPaintContext({});
    if (!set) return;
    this.membership = unitMembership(
      units.flatMap((u) => {
        const geometry = multiPolygonOf(u);
        return geometry ? [{ fid: Number(u.getId()), geometry }] : [];
      }),
      catchments.flatMap((c) => {
        const geometry = multiPolygonOf(c);
        return geometry ? [{ fid: Number(c.getId()), geometry }] : [];
      }),
      this.context.assignments,
      set,
    );
  }

  unitLayerKey(): string {
    return this.ctx.adapter.layerVisible('demand_grid') && !this.ctx.adapter.layerVisible('demand_small_areas') ? 'demand_grid' : 'demand_small_areas';
  }

  unitFeatures(): Feature<Geometry>[] {
    return (this.ctx.adapter.source(this.unitLayerKey())?.getFeatures() ?? []) as Feature<Geometry>[];
  }

  catchmentFeatures(): Feature<Geometry>[] {
    return ((this.ctx.adapter.source('catchments')?.getFeatures() ?? []) as Feature<Geometry>[]).filter((f) => this.ctx.inShownSet(f));
  }

  facilityByCatchment(): Map<number, { facility_fid: number | null }> {
    return new Map(this.catchmentFeatures().map((c) => [Number(c.getId()), { facility_fid: (c.get('facility_fid') as number | null) ?? null }]));
  }
}

export class PaintMode extends EditMode {
  readonly id = 'paint' as const;
  private stroke: Set<number> | null = null;
  private strokeFeatures: Feature<Geometry>[] = [];
  /**
   * The paint session: every unit painted into the current target since it was chosen, and the membership
   * before the session, so the delta panel shows the whole change so far, not just the last stroke.
   */
  private session: { target: number; units: Set<number>; membership: Map<number, number> } | null = null;
  readonly model: PaintModel;

  constructor(ctx: ModeContext) {
    super(ctx);
    this.model = new PaintModel(ctx);
  }

  idleHint(): string {
    return useEditingStore.getState().paintTarget == null ? 'editing.hint.paintPick' : 'editing.hint.paint';
  }

  protected override onStart(): void {
    const selected = this.ctx.selected();
    const editing = useEditingStore.getState();
    if (selected?.layer === 'catchments') editing.set({ paintTarget: selected.fid, panel: 'paint' });
    else editing.set({ panel: 'paint' });
    this.ctx.hint(this.idleHint());
    void this.model.refresh();
    this.drawTarget();
  }

  protected override onStop(): void {
    useEditingStore.getState().set({ paintDelta: null, paintUnitsInStroke: 0 });
  }

  private target(): Feature<Geometry> | null {
    const fid = useEditingStore.getState().paintTarget;
    if (fid == null) return null;
    const feature = this.ctx.adapter.source('catchments')?.getFeatureById(fid) as Feature<Geometry> | null;
    return feature && this.ctx.inShownSet(feature) ? feature : null;
  }

  drawTarget(): void {
    this.ctx.adapter.drawSketch({ target: this.target()?.getGeometry() ?? null, stroke: this.strokeFeatures.map((f) => f.getGeometry()!).filter(Boolean) });
  }

  override down(pointer: PointerInfo): boolean {
    const target = this.target();
    if (!target) {
      const catchment = this.ctx.adapter.featuresAt(pointer.pixel, ['catchments'], 0, (f) => this.ctx.inShownSet(f as Feature<Geometry>))[0];
      if (catchment) {
        useEditingStore.getState().set({ paintTarget: Number(catchment.getId()) });
        this.ctx.select({ layer: 'catchments', fid: Number(catchment.getId()) });
        this.ctx.hint('editing.hint.paint');
        this.drawTarget();
      }
      return true;
    }
    if (target.get('locked')) {
      this.ctx.hint('editing.hint.paintTargetLocked');
      return true;
    }
    this.stroke = new Set();
    this.strokeFeatures = [];
    this.state = 'drawing';
    this.addUnitAt(pointer);
    return true;
  }

  override drag(pointer: PointerInfo): void {
    if (this.stroke) this.addUnitAt(pointer);
  }

  /** Adds the unit under the pointer to the stroke and updates the live delta (the work of one paint frame). */
  addUnitAt(pointer: PointerInfo): void {
    const stroke = this.stroke;
    const targetFid = useEditingStore.getState().paintTarget;
    const set = this.ctx.shownSet();
    if (!stroke || targetFid == null || !set) return;
    const unit = this.ctx.adapter.featuresAt(pointer.pixel, [this.model.unitLayerKey()], 0)[0];
    if (!unit) return;
    const fid = Number(unit.getId());
    if (stroke.has(fid) || this.model.membership.get(fid) === targetFid) return;
    const donor = this.model.membership.get(fid);
    const donorFeature = donor == null ? null : (this.ctx.adapter.source('catchments')?.getFeatureById(donor) as Feature<Geometry> | null);
    if (donorFeature?.get('locked')) {
      this.ctx.hint('editing.hint.paintLocked', { name: String(donorFeature.get('name') ?? '') });
      return;
    }
    stroke.add(fid);
    this.strokeFeatures.push(unit);
    if (!this.session || this.session.target !== targetFid) this.session = { target: targetFid, units: new Set(), membership: new Map(this.model.membership) };
    this.session.units.add(fid);
    this.updateDelta(set, targetFid);
    this.drawTarget();
  }

  private updateDelta(set: CatchmentSetKey, targetFid: number): void {
    if (!this.model.context || !this.session) return;
    const delta = paintDelta(this.model.context, this.session.membership, this.model.facilityByCatchment(), set, targetFid, [...this.session.units]);
    useEditingStore.getState().set({ paintDelta: delta, paintUnitsInStroke: this.session.units.size });
  }

  override up(): void {
    const stroke = this.stroke;
    this.stroke = null;
    this.state = 'started';
    const targetFid = useEditingStore.getState().paintTarget;
    if (!stroke || stroke.size === 0 || targetFid == null) return;
    void this.ctx.run({ type: 'units.assign', catchmentFid: targetFid, unitFids: [...stroke] }).then(async (result) => {
      this.strokeFeatures = [];
      if (!result && this.session) {
        // Refused (a locked donor, an invalid result): the session forgets the stroke.
        for (const fid of stroke) this.session.units.delete(fid);
        const set = this.ctx.shownSet();
        if (set) this.updateDelta(set, targetFid);
      }
      if (result) await this.model.refresh(true);
      this.drawTarget();
    });
  }

  protected override onCancel(): void {
    this.stroke = null;
    this.strokeFeatures = [];
    this.session = null;
    useEditingStore.getState().set({ paintDelta: null, paintUnitsInStroke: 0 });
  }

  /** A new target starts a new session. */
  targetChanged(): void {
    this.session = null;
    useEditingStore.getState().set({ paintDelta: null, paintUnitsInStroke: 0 });
    this.drawTarget();
  }
}
