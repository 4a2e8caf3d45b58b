// Under Deno the npm `webgpu` package (Dawn) resolves here (vitest.deno.config.ts): the WebGPU tests must
// run on Deno's own navigator.gpu (wgpu), so loading Dawn is an error.
throw new Error("the npm package 'webgpu' (Dawn) was loaded in the Deno run: Deno's WebGPU must come from navigator.gpu (wgpu)");
