import type { FieldConfig, NotetypeConfig, TemplateConfig } from '../storage/proto/messages';
import { NotetypeKind } from '../storage/proto/messages';

export interface NotetypeField {
  ord: number;
  name: string;
  config: FieldConfig;
}

export interface NotetypeTemplate {
  ord: number;
  name: string;
  mtimeSecs: number;
  usn: number;
  config: TemplateConfig;
}

/** A notetype as Anki stores it across the notetypes, fields and templates tables. */
export interface Notetype {
  id: number;
  name: string;
  mtimeSecs: number;
  usn: number;
  config: NotetypeConfig;
  fields: NotetypeField[];
  templates: NotetypeTemplate[];
}

export function isCloze(nt: Pick<Notetype, 'config'>): boolean {
  return nt.config.kind === NotetypeKind.Cloze;
}
