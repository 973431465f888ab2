/**
 * The "Project" menu of the top bar: the file actions a planner needs now and then (save a copy, import,
 * sources, about the data, close), so the bar keeps room for what is used all the time in a workshop.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function ProjectMenu({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', close);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', close);
    };
  }, [open]);

  return (
    <div className="project-menu" ref={rootRef}>
      <button type="button" className="button button--ghost" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="project-menu">
        {t('topBar.projectMenu')} ▾
      </button>
      {open && (
        // Any click inside (a menu item) closes the menu after the item has done its work.
        <div className="project-menu-items" role="menu" onClick={() => setOpen(false)}>
          {children}
        </div>
      )}
    </div>
  );
}
