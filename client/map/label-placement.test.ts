import { describe, expect, it } from 'vitest';
import { chooseLabelPlacements } from './label-placement';
import type { LabelCandidate } from './label-placement';

const CANDIDATES: LabelCandidate[] = [
  { scale: 1, shift: 0 },
  { scale: 1, shift: -1 },
  { scale: 0.5, shift: 0 },
];

describe('chooseLabelPlacements', () => {
  it.each([
    {
      name: 'apart labels stay in place',
      boxes: [
        { x: 0, y: 0, width: 10, height: 4, priority: 1 },
        { x: 50, y: 0, width: 10, height: 4, priority: 2 },
      ],
      expected: [0, 0],
    },
    {
      name: 'the lower-priority one of two colliding labels moves up',
      boxes: [
        { x: 0, y: 0, width: 10, height: 4, priority: 1 },
        { x: 2, y: 0, width: 10, height: 4, priority: 2 },
      ],
      expected: [1, 0],
    },
    {
      name: 'a label that fits only when smaller is drawn smaller',
      boxes: [
        { x: 0, y: 0, width: 10, height: 4, priority: 3 },
        { x: 0, y: -4, width: 10, height: 4, priority: 2 },
        { x: 8, y: 0, width: 10, height: 4, priority: 1 },
      ],
      expected: [0, 0, 2],
    },
    {
      name: 'a label with no free spot is crowded out',
      boxes: [
        { x: 0, y: 0, width: 10, height: 4, priority: 3 },
        { x: 0, y: -4, width: 10, height: 4, priority: 2 },
        { x: 1, y: 0, width: 10, height: 4, priority: 1 },
      ],
      expected: [0, 0, -1],
    },
  ])('$name', ({ boxes, expected }) => {
    expect(chooseLabelPlacements(boxes, CANDIDATES)).toEqual(expected);
  });
});

describe('chooseLabelPlacements within a frame (an inset)', () => {
  const frame = { left: 0, top: 0, right: 100, bottom: 50 };

  it('a label cut by the frame moves inside it, or is crowded out when no candidate fits', () => {
    const boxes = [
      // At the top edge: half of it above the frame; moved down a label height, it fits.
      { x: 50, y: 0.5, width: 10, height: 4, priority: 2 },
      // Across the right edge whatever its shift or size.
      { x: 99, y: 25, width: 10, height: 4, priority: 1 },
      // Well inside: stays.
      { x: 20, y: 25, width: 10, height: 4, priority: 3 },
    ];
    expect(chooseLabelPlacements(boxes, [...CANDIDATES, { scale: 1, shift: 1 }], frame)).toEqual([3, -1, 0]);
  });

  it('without a frame the same labels keep their spots', () => {
    expect(chooseLabelPlacements([{ x: 99, y: 25, width: 10, height: 4, priority: 1 }], CANDIDATES)).toEqual([0]);
  });
});
