/** Legend symbols drawn as SVG with presentation attributes, so they match the map and need no inline CSS. */
export type SwatchShape = 'circle' | 'square' | 'hollow-circle' | 'area' | 'line' | 'triangle' | 'dot';

export function LegendSwatch({ shape, colour, outline }: { shape: SwatchShape; colour: string; outline?: string }) {
  return (
    <svg className="legend-swatch" width="20" height="16" viewBox="0 0 20 16" aria-hidden="true" focusable="false">
      {shape === 'circle' && <circle cx="10" cy="8" r="5.5" fill={colour} stroke="#ffffff" strokeWidth="1.6" />}
      {shape === 'hollow-circle' && <circle cx="10" cy="8" r="5" fill="#ffffff" stroke={colour} strokeWidth="2.2" />}
      {shape === 'square' && <rect x="4.5" y="2.5" width="11" height="11" fill={colour} stroke="#ffffff" strokeWidth="1.6" transform="rotate(45 10 8)" />}
      {shape === 'area' && <rect x="1.5" y="2.5" width="17" height="11" rx="1.5" fill={colour} stroke={outline ?? 'rgba(70,82,96,0.6)'} strokeWidth="1.2" />}
      {shape === 'triangle' && <polygon points="10,2 16.5,13.5 3.5,13.5" fill={colour} stroke="#ffffff" strokeWidth="1.4" />}
      {shape === 'dot' && (
        <>
          <circle cx="5" cy="10" r="1.8" fill={colour} />
          <circle cx="10" cy="6" r="2.6" fill={colour} />
          <circle cx="15" cy="10.5" r="3.4" fill={colour} />
        </>
      )}
      {shape === 'line' && <line x1="1" y1="8" x2="19" y2="8" stroke={colour} strokeWidth="2.4" strokeLinecap="round" />}
    </svg>
  );
}
