/**
 * WebGPU's numeric flag constants, from the specification. Spelled out here so that ndgpu needs no
 * global `GPUBufferUsage` (Node's Dawn bindings only install those globals on request).
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001, WRITE: 0x0002 } as const;

export const ShaderStage = { COMPUTE: 0x4 } as const;
