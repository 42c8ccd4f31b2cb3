/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Map tiles, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; none: markers on a plain background. */
  readonly VITE_TILE_URL?: string;
  readonly VITE_TILE_ATTRIBUTION?: string;
}
