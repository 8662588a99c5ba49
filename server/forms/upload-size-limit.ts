import type { Component } from '@formio/core';
import { Utils } from '@formio/core';

const UNITS: Array<[suffix: string, bytes: number]> = [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024], ['B', 1]];

/** Bytes as @formio/js writes and reads sizes (`20MB`, `512KB`, `1000B`: binary units, as File.js's translateScalars). */
export function formatFileSize(bytes: number): string {
  const [suffix, unit] = UNITS.find(([, size]) => bytes % size === 0)!;
  return `${bytes / unit}${suffix}`;
}

/** Reads a `fileMaxSize` the way @formio/js does; undefined when it is not a size (e.g. an interpolation). */
export function parseFileSize(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(GB|MB|KB|B)\s*$/i.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNITS.find(([suffix]) => suffix === match[2]!.toUpperCase())![1];
}

/**
 * The components with every file component's `fileMaxSize` held to what the upload endpoint accepts
 * (`uploadMaxBytes`, HSB_UPLOAD_MAX_BYTES): the service's setting is the one source of the limit, and a
 * definition may only ask for less. Without this the browser would accept files (its default is 1GB)
 * that the service then refuses.
 */
export function withUploadLimit(components: Component[], uploadMaxBytes: number): Component[] {
  const copy = structuredClone(components);
  Utils.eachComponent(copy, (component: Component & { fileMaxSize?: string }) => {
    if (component.type !== 'file') return;
    const asked = parseFileSize(component.fileMaxSize);
    if (asked === undefined || asked > uploadMaxBytes) component.fileMaxSize = formatFileSize(uploadMaxBytes);
  }, true);
  return copy;
}
