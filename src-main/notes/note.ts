/** A note as the notes table holds it; sfld/csum are derived when it is written. */
export interface Note {
  id: number;
  guid: string;
  notetypeId: number;
  mtimeSecs: number;
  usn: number;
  /** Canonical tags, without the surrounding spaces of the stored form. */
  tags: string[];
  fields: string[];
}
