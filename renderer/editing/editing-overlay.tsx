/** Everything the editing workspace adds over the map: toolbar, panels, table, forms and help. */
import { useSelectionStore } from '../state/selection-store';
import { AttributeTable } from './attribute-table';
import { useEditingStore } from './editing-store';
import { EditingToolbar } from './editing-toolbar';
import { FacilityForm } from './facility-form';
import { CoordinateEntry, HelpOverlay, MeasureReadout, PaintPanel, ProblemsPanel } from './panels';
import { RepairDialog } from './repair-dialog';
import './editing.css';

export function EditingOverlay() {
  const panel = useEditingStore((state) => state.panel);
  const tableLayer = useEditingStore((state) => state.tableLayer);
  const helpVisible = useEditingStore((state) => state.helpVisible);
  const facilityForm = useEditingStore((state) => state.facilityForm);
  const coordinateEntry = useEditingStore((state) => state.coordinateEntry);
  const repair = useEditingStore((state) => state.repair);
  const tool = useEditingStore((state) => state.tool);
  useSelectionStore((state) => state.selected);
  return (
    <>
      <EditingToolbar />
      {panel === 'paint' && <PaintPanel />}
      {panel === 'problems' && <ProblemsPanel />}
      {tool === 'measure' && <MeasureReadout />}
      {tableLayer !== 'none' && <AttributeTable />}
      {helpVisible && <HelpOverlay />}
      {facilityForm && <FacilityForm key={facilityForm.mode === 'edit' ? `edit-${facilityForm.fid}` : 'add'} />}
      {coordinateEntry && <CoordinateEntry key={coordinateEntry.from.join(',')} />}
      {repair && <RepairDialog />}
    </>
  );
}
