/**
 * A readable reason from an onnxruntime model-load error. ORT prefixes its messages with "Load model
 * from <path> failed:" and often with the C++ source location and function signature
 * (`/onnxruntime_src/…/model.cc:187 onnxruntime::Model::Model(…) ModelProto does not have a graph.`);
 * only the sentence at the end says what is wrong with the file.
 */
export function ortLoadReason(message: string): string {
  let text = message.trim().replace(/^Load model from .*? failed:\s*/s, '');
  const location = /^\S+\.(?:cc|h|cpp):\d+\s+/.exec(text);
  if (location) {
    text = text.slice(location[0].length);
    // Skip the function signature: up to the parenthesis that closes its parameter list.
    const open = text.indexOf('(');
    if (open >= 0 && !/\s/.test(text.slice(0, open))) {
      let depth = 0;
      for (let i = open; i < text.length; i++) {
        if (text[i] === '(') depth++;
        else if (text[i] === ')' && --depth === 0) {
          text = text.slice(i + 1).trim();
          break;
        }
      }
    }
  }
  return text.length > 0 ? text : message.trim();
}
