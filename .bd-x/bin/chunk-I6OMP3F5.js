// dist/process.js
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

export {
  isAlive
};
//# sourceMappingURL=chunk-I6OMP3F5.js.map
