/** The routings of recent requests by id, oldest forgotten first. */
export interface RoutingMemory {
  remember(requestId: string, routing: Record<string, number>): void;
  recall(requestId: string): Record<string, number> | undefined;
}

/**
 * Remembers the last `capacity` routings, so feedback that names only the request id (as delayed
 * labels do) still reaches the arm that served it; Seldon v1 needed the client to echo `meta.routing`.
 */
export function createRoutingMemory(capacity: number): RoutingMemory {
  const routings = new Map<string, Record<string, number>>();
  return {
    remember(requestId, routing) {
      if (capacity <= 0 || requestId === '' || Object.keys(routing).length === 0) return;
      routings.delete(requestId);
      routings.set(requestId, routing);
      if (routings.size > capacity) routings.delete(routings.keys().next().value!);
    },
    recall: (requestId) => routings.get(requestId),
  };
}
