// Leaflet lives only in this module, which the map page loads on demand.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';

export interface MapPoint {
  key: string;
  latitude: number;
  longitude: number;
  label: string;
  overdue: boolean;
}

/**
 * The label as an element holding plain text. Leaflet renders a string as HTML, and an address or a
 * category name comes from registries (a CSV import among them), so markup in it must stay text.
 */
function textNode(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}

/** Surgut's centre. */
const CENTRE: [number, number] = [61.254, 73.396];

/**
 * Complaints as circle markers. Tiles come from VITE_TILE_URL when it is set; without it the markers
 * sit on a plain background and the page still works (the list beside it carries the same data).
 */
export default function MapView({ points, label }: { points: MapPoint[]; label: string }) {
  const element = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = L.map(element.current, { center: CENTRE, zoom: 13, attributionControl: true });
    const tiles = import.meta.env.VITE_TILE_URL as string | undefined;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: import.meta.env.VITE_TILE_ATTRIBUTION as string | undefined }).addTo(instance);
    }
    layer.current = L.layerGroup().addTo(instance);
    map.current = instance;
    return () => {
      instance.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    const group = layer.current;
    if (!group || !map.current) return;
    group.clearLayers();
    for (const p of points) {
      L.circleMarker([p.latitude, p.longitude], {
        radius: 8,
        color: p.overdue ? '#b3261e' : '#1d4e89',
        fillOpacity: 0.7,
      })
        .bindTooltip(textNode(p.label))
        .addTo(group);
    }
    if (points.length > 0) {
      map.current.fitBounds(L.latLngBounds(points.map((p) => [p.latitude, p.longitude] as [number, number])), { padding: [24, 24], maxZoom: 15 });
    }
  }, [points]);

  return <div ref={element} className="map" role="region" aria-label={label} data-testid="map" />;
}
