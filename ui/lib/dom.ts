/**
 * The few DOM types that the functions run inside the page use: the project compiles without the
 * "dom" library, so that node code cannot reach for browser globals by mistake. Types only.
 */
export interface DomElement {
	readonly parentElement: DomElement | null;
	readonly textContent: string | null;
	readonly offsetParent: unknown;
	getAttribute(name: string): string | null;
	querySelector(selector: string): DomElement | null;
	querySelectorAll(selector: string): Iterable<DomElement>;
	closest(selector: string): DomElement | null;
}

export interface DomImage extends DomElement {
	readonly src: string;
	decode(): Promise<void>;
}

export interface DomVideo extends DomElement {
	readonly duration: number;
	play(): Promise<void>;
}

export interface DomInput extends DomElement {
	readonly value: string;
}

interface Canvas2d {
	drawImage(image: DomImage, x: number, y: number, width: number, height: number): void;
	getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> };
}

/** The page's globals used here (`globalThis` inside the page). */
export interface DomWindow {
	document: {
		createElement(tag: 'canvas'): {
			width: number;
			height: number;
			getContext(kind: '2d'): Canvas2d | null;
		};
	};
	getComputedStyle(element: DomElement): { backgroundColor: string };
}
